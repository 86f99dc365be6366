package io.millwright.sim.erp;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.olingo.odata2.api.commons.InlineCount;
import org.apache.olingo.odata2.api.edm.EdmEntitySet;
import org.apache.olingo.odata2.api.ep.EntityProvider;
import org.apache.olingo.odata2.api.ep.EntityProviderReadProperties;
import org.apache.olingo.odata2.api.ep.EntityProviderWriteProperties;
import org.apache.olingo.odata2.api.ep.entry.ODataEntry;
import org.apache.olingo.odata2.api.exception.ODataException;
import org.apache.olingo.odata2.api.exception.ODataNotFoundException;
import org.apache.olingo.odata2.api.processor.ODataResponse;
import org.apache.olingo.odata2.api.uri.KeyPredicate;
import org.apache.olingo.odata2.api.uri.info.GetEntitySetUriInfo;
import org.apache.olingo.odata2.api.uri.info.GetEntityUriInfo;
import org.apache.olingo.odata2.api.uri.info.PostUriInfo;

/**
 * Reads and creates {@code ProdnOrdConf2} entities. Olingo parses the URI and the payload and
 * writes Atom or V2 JSON ({@code d} wrapper, {@code /Date(ms)/}, decimals as strings) itself.
 */
class ConfirmationProcessor extends BatchingProcessor {

    private final ConfirmationBook book;
    private final String user;
    private final ReadFaults faults;

    ConfirmationProcessor(ConfirmationBook book, String user, ReadFaults faults, Changesets changesets) {
        super(changesets);
        this.book = book;
        this.user = user;
        this.faults = faults;
    }

    @Override
    public ODataResponse readEntitySet(GetEntitySetUriInfo uriInfo, String contentType) throws ODataException {
        EdmEntitySet entitySet = uriInfo.getStartEntitySet();
        List<Map<String, Object>> matching = new java.util.ArrayList<>();
        for (Confirmation confirmation : book.all()) {
            Map<String, Object> entity = confirmation.toEdm();
            if (faults.ignoreFilter || EntityFilter.matches(uriInfo.getFilter(), entity)) {
                matching.add(entity);
            }
        }
        matching.sort(EntityFilter.comparator(uriInfo.getOrderBy()));
        int total = matching.size();
        int skip = uriInfo.getSkip() == null ? 0 : Math.min(uriInfo.getSkip(), total);
        int top = uriInfo.getTop() == null ? total : uriInfo.getTop();
        int pageSize = faults.pageSize;
        boolean serverPaged = pageSize > 0 && top > pageSize;
        int end = Math.min(total, skip + (serverPaged ? pageSize : top));
        List<Map<String, Object>> page = matching.subList(skip, end);
        var builder = EntityProviderWriteProperties
                .serviceRoot(getContext().getPathInfo().getServiceRoot())
                .inlineCountType(uriInfo.getInlineCount())
                .inlineCount(uriInfo.getInlineCount() == InlineCount.ALLPAGES ? total : null);
        if (serverPaged && end < Math.min(total, skip + top)) {
            // SAP-style server paging: the rest behind a __next link (here as $skip, with $top what is left)
            String query = getContext().getPathInfo().getRequestUri().getRawQuery();
            String kept = query == null ? "" : java.util.Arrays.stream(query.split("&"))
                    .filter(p -> !p.startsWith("$skip=") && !p.startsWith("%24skip=") && !p.startsWith("$top=") && !p.startsWith("%24top="))
                    .collect(java.util.stream.Collectors.joining("&"));
            int left = uriInfo.getTop() == null ? Integer.MAX_VALUE : top - (end - skip);
            builder.nextLink(getContext().getPathInfo().getServiceRoot() + entitySet.getName() + "?" + kept
                    + (kept.isEmpty() ? "" : "&") + "$skip=" + end + (left == Integer.MAX_VALUE ? "" : "&$top=" + left));
        }
        EntityProviderWriteProperties properties = builder.build();
        return EntityProvider.writeFeed(contentType, entitySet, page, properties);
    }

    @Override
    public ODataResponse readEntity(GetEntityUriInfo uriInfo, String contentType) throws ODataException {
        String group = null;
        String count = null;
        for (KeyPredicate key : uriInfo.getKeyPredicates()) {
            switch (key.getProperty().getName()) {
                case "ConfirmationGroup" -> group = key.getLiteral();
                case "ConfirmationCount" -> count = key.getLiteral();
                default -> { }
            }
        }
        Confirmation confirmation = book.find(group, count)
                .orElseThrow(() -> new ODataNotFoundException(ODataNotFoundException.ENTITY));
        return EntityProvider.writeEntry(contentType, uriInfo.getStartEntitySet(), confirmation.toEdm(),
                EntityProviderWriteProperties.serviceRoot(getContext().getPathInfo().getServiceRoot()).build());
    }

    @Override
    public ODataResponse createEntity(PostUriInfo uriInfo, InputStream content, String requestContentType,
            String contentType) throws ODataException {
        EdmEntitySet entitySet = uriInfo.getStartEntitySet();
        ODataEntry entry = EntityProvider.readEntry(requestContentType, entitySet, content,
                EntityProviderReadProperties.init().mergeSemantic(false).build());
        Confirmation created = book.create(entry.getProperties(), user);
        return EntityProvider.writeEntry(contentType, entitySet, created.toEdm(),
                EntityProviderWriteProperties.serviceRoot(getContext().getPathInfo().getServiceRoot()).build());
    }
}
