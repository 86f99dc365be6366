package io.millwright.principles;

import io.millwright.model.Outcome;
import io.millwright.model.ReferenceLayer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.http.HttpStatus;

/**
 * {@code GET /api/outcomes?from=&to=}: per business outcome, the flows that serve it (route property
 * {@code outcome}, with layer and state) and its KPIs per hour over the window (default: the last 24
 * hours; at most 31 days).
 */
@RestController
class OutcomesController {

    private final OutcomeKpis kpis;
    private final CamelContext camel;

    OutcomesController(NamedParameterJdbcTemplate jdbc, CamelContext camel) {
        this.kpis = new OutcomeKpis(jdbc);
        this.camel = camel;
    }

    /** A flow as the outcomes list it. */
    record Flow(String routeId, int layer, String layerName, String state) {}

    /** One outcome: its flows and KPIs. */
    record OutcomeReport(String outcome, List<Flow> flows, List<OutcomeKpis.Kpi> kpis) {}

    /** The answer. */
    record Report(Instant from, Instant to, String step, List<OutcomeReport> outcomes, List<String> undeclared) {}

    @GetMapping("/api/outcomes")
    Report outcomes(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        Instant end = to == null ? Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)) : instant("to", to);
        Instant start = from == null ? end.minus(Duration.ofHours(24)) : instant("from", from);
        if (!start.isBefore(end)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "from: " + start + " must be before to: " + end);
        }
        if (Duration.between(start, end).compareTo(OutcomeKpis.MAX_WINDOW) > 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "from: the window from " + start + " to " + end
                    + " is longer than " + OutcomeKpis.MAX_WINDOW.toDays() + " days");
        }
        Map<Outcome, List<Flow>> flows = new LinkedHashMap<>();
        List<String> undeclared = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            var outcome = Outcome.parse(route.getProperties().get(Outcome.ROUTE_PROPERTY));
            if (outcome.isEmpty()) {
                undeclared.add(route.getRouteId());
                continue;
            }
            int layer = RouteLayerPolicy.layerOf(route);
            flows.computeIfAbsent(outcome.get(), o -> new ArrayList<>()).add(new Flow(route.getRouteId(), layer,
                    ReferenceLayer.name(layer), String.valueOf(camel.getRouteController().getRouteStatus(route.getRouteId()))));
        }
        List<OutcomeReport> reports = new ArrayList<>();
        kpis.kpis(start, end).forEach((outcome, values) -> reports.add(new OutcomeReport(outcome.text(),
                flows.getOrDefault(outcome, List.of()).stream().sorted((a, b) -> a.routeId().compareTo(b.routeId())).toList(),
                values)));
        return new Report(start, end, "1h", reports, undeclared.stream().sorted().toList());
    }

    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    private static Instant instant(String name, String value) {
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, name + ": '" + value
                    + "' is not an ISO-8601 instant such as 2026-11-30T06:00:00Z");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, name + ": '" + value
                    + "' is outside 1970-01-01 to 9999-12-31");
        }
        return instant;
    }
}
