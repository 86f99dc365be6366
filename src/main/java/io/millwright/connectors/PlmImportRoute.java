package io.millwright.connectors;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code plm-import}: routing and bill-of-material files a PLM system (or a person) drops into the
 * inbox ({@code millwright.connectors.plm-inbox}, default {@code mappings/inbox/plm/}) become ideal cycle
 * times and bills of material in {@code mappings/} ({@link PlmImport}). An imported file moves to
 * {@code .imported/}; a rejected one to {@code .failed/}, with {@code <name>.reason.txt} beside it
 * naming line, column and reason, and nothing of it applied.
 */
class PlmImportRoute extends RouteBuilder {

    static final String ROUTE_ID = "plm-import";

    private final PlmImport plmImport;
    private final Path inbox;

    PlmImportRoute(PlmImport plmImport, Path inbox) {
        this.plmImport = plmImport;
        this.inbox = inbox;
    }

    @Override
    public void configure() throws Exception {
        Files.createDirectories(inbox);
        onException(IllegalArgumentException.class)
                .handled(false)
                .logStackTrace(false)
                .logExhausted(false)
                .logHandled(false);

        from("file:" + inbox.toAbsolutePath()
                + "?include=.*\\.(csv|json|CSV|JSON)"
                + "&readLock=changed&readLockMinAge=1s"
                + "&move=.imported/${date:now:yyyyMMdd'T'HHmmss}-${file:name}"
                + "&moveFailed=.failed/${file:name}")
                .routeId(ROUTE_ID)
                .routeProperty("layer", "4")
                .routeDescription("PLM import: routings and bills of material from " + inbox + " into mappings/")
                .routeProperty("outcome", "throughput")
                .process(this::importFile);
    }

    private void importFile(Exchange exchange) throws Exception {
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        try {
            PlmImport.Result result = plmImport.importFile(name, exchange.getMessage().getMandatoryBody(byte[].class));
            log.info("PLM import applied file={} routings={} billsOfMaterial={} into {} and {}", name, result.routings(),
                    result.boms(), plmImport.idealCycleTimes(), plmImport.orders());
        } catch (IllegalArgumentException e) {
            log.error("PLM import rejected file={} reason={}; nothing applied, the file moves to {}", name, e.getMessage(),
                    inbox.resolve(".failed"));
            Path reasons = Files.createDirectories(inbox.resolve(".failed"));
            Files.writeString(reasons.resolve(name + ".reason.txt"), e.getMessage() + System.lineSeparator());
            throw e;
        }
    }
}
