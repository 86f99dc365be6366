package io.millwright.erp;

import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/reconciliation?order=&operation=}: plant ledger vs hub vs ERP read-back of one
 * order operation (see {@link Reconciliation}). Behind the admin login (viewer once roles exist).
 *
 * <p>Errors answer the hub's RFC 9457 problem body, like every other API: a missing order or
 * operation is the hub's bad-input problem (400, {@code errors[0].name} the parameter, written by
 * {@code ops.ApiProblemResolver} from the {@link io.millwright.model.InvalidEventException}); SAP
 * unreadable is 502 with what was not done.
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

    @ExceptionHandler(ErpUnavailableException.class)
    ProblemDetail erpUnavailable(ErpUnavailableException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
                "the ERP could not be read, so nothing was reconciled: " + e.getMessage());
        problem.setType(URI.create("about:blank"));
        return problem;
    }
}
