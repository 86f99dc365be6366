package io.millwright.sim.erp;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;

/** One confirmation the simulated SAP system holds (one row of SAP's AFRU, as the API shows it). */
record Confirmation(
        String confirmationGroup,
        String confirmationCount,
        String orderId,
        String sequence,
        String orderOperation,
        BigDecimal yieldQuantity,
        BigDecimal scrapQuantity,
        BigDecimal reworkQuantity,
        String unit,
        LocalDate postingDate,
        String finalConfirmationType,
        boolean finalConfirmation,
        String confirmationText,
        String plant,
        String workCenter,
        String personnel,
        UUID externalSystemConfirmation,
        String enteredByUser,
        Instant enteredAt) {

    /** The entity as Olingo writes it: SAP's property names, Olingo's default Java types. */
    Map<String, Object> toEdm() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ConfirmationGroup", confirmationGroup);
        data.put("ConfirmationCount", confirmationCount);
        data.put("OrderID", orderId);
        data.put("Sequence", sequence);
        data.put("OrderOperation", orderOperation);
        data.put("OrderSuboperation", "");
        data.put("Plant", plant);
        data.put("WorkCenter", workCenter);
        data.put("Personnel", personnel);
        data.put("ConfirmationText", confirmationText);
        data.put("ConfirmationUnit", unit);
        data.put("ConfirmationYieldQuantity", yieldQuantity);
        data.put("ConfirmationScrapQuantity", scrapQuantity);
        data.put("ConfirmationReworkQuantity", reworkQuantity);
        data.put("PostingDate", midnightUtc(postingDate));
        data.put("FinalConfirmationType", finalConfirmationType);
        data.put("IsFinalConfirmation", finalConfirmation);
        data.put("ExternalSystemConfirmation", externalSystemConfirmation);
        data.put("EnteredByUser", enteredByUser);
        data.put("ConfirmationEntryDate", midnightUtc(enteredAt.atZone(ZoneOffset.UTC).toLocalDate()));
        data.put("ConfirmationEntryTime", timeOfDayUtc(enteredAt));
        data.put("IsReversed", false);
        data.put("IsReversal", false);
        return data;
    }

    /** For tests and operators: plain Java values (LocalDate, BigDecimal, Instant). */
    Map<String, Object> toPlainMap() {
        Map<String, Object> data = new LinkedHashMap<>(toEdm());
        data.put("PostingDate", postingDate);
        data.put("ConfirmationEntryDate", enteredAt.atZone(ZoneOffset.UTC).toLocalDate());
        data.put("ConfirmationEntryTime", enteredAt.atZone(ZoneOffset.UTC).toLocalTime().withNano(0));
        data.put("ExternalSystemConfirmation", externalSystemConfirmation == null ? null : externalSystemConfirmation.toString());
        data.put("EnteredAt", enteredAt);
        return data;
    }

    static Calendar midnightUtc(LocalDate date) {
        Calendar calendar = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        calendar.clear();
        calendar.setTimeInMillis(date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
        return calendar;
    }

    /** Edm.Time: the time of day, as a calendar on 1970-01-01 UTC. */
    private static Calendar timeOfDayUtc(Instant instant) {
        Calendar calendar = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        calendar.clear();
        calendar.setTimeInMillis(instant.atZone(ZoneOffset.UTC).toLocalTime().toSecondOfDay() * 1000L);
        return calendar;
    }
}
