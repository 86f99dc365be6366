package io.millwright.erp;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/reconciliation?order=&operation=}: plant ledger vs hub vs ERP read-back of one
 * order operation (see {@link Reconciliation}). Behind the admin login (viewer once roles exist).
 */
@RestController
@RequestMapping("/api/reconciliation")
class ReconciliationController {

    private final Reconciliation reconciliation;

    ReconciliationController(Reconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    @GetMapping
    Map<String, Object> reconcile(@RequestParam(required = false) String order, @RequestParam(required = false) String operation) {
        return reconciliation.reconcile(order, operation);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    Map<String, String> badRequest(IllegalArgumentException e) {
        return Map.of("error", e.getMessage());
    }

    @ExceptionHandler(ErpUnavailableException.class)
    @ResponseStatus(HttpStatus.BAD_GATEWAY)
    Map<String, String> erpUnavailable(ErpUnavailableException e) {
        return Map.of("error", e.getMessage());
    }
}
