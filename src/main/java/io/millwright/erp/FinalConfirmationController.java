package io.millwright.erp;

import io.millwright.model.ProductionConfirmation;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/erp/orders/{order}/operations/{operation}/final-confirmation}: completes an order
 * operation towards SAP, as an {@code order-completed} event does ({@link FinalConfirmations}). Admin
 * only (a write under {@code /api/} that no lesser role is given), and in the audit log with the user.
 * Answers the final confirmation queued, the same one on a repeat call.
 */
@RestController
@RequestMapping("/api/erp/orders")
class FinalConfirmationController {

    private final FinalConfirmations finals;

    FinalConfirmationController(FinalConfirmations finals) {
        this.finals = finals;
    }

    @PostMapping("/{order}/operations/{operation}/final-confirmation")
    Map<String, Object> complete(@PathVariable String order, @PathVariable String operation, Principal user) {
        ProductionConfirmation last = finals.complete(order, operation, "api user " + (user == null ? "anonymous" : user.getName()));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("key", last.idempotencyKey());
        answer.put("documentType", ConfirmationDocumentType.NAME);
        answer.put("orderId", last.orderId());
        answer.put("operation", last.operation());
        answer.put("yieldQuantity", last.yieldQuantity());
        answer.put("scrapQuantity", last.scrapQuantity());
        answer.put("unit", last.unit());
        answer.put("finalConfirmation", last.finalConfirmation());
        answer.put("postingDate", last.postingDate().toString());
        return answer;
    }
}
