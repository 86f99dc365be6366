package io.millwright.sim.erp;

import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.apache.olingo.odata2.api.edm.EdmEntitySet;
import org.apache.olingo.odata2.api.ep.EntityProvider;
import org.apache.olingo.odata2.api.ep.EntityProviderReadProperties;
import org.apache.olingo.odata2.api.ep.EntityProviderWriteProperties;
import org.apache.olingo.odata2.api.ep.entry.ODataEntry;
import org.apache.olingo.odata2.api.ep.feed.ODataFeed;
import org.apache.olingo.odata2.api.exception.ODataException;
import org.apache.olingo.odata2.api.processor.ODataResponse;
import org.apache.olingo.odata2.api.uri.info.GetEntitySetUriInfo;
import org.apache.olingo.odata2.api.uri.info.PostUriInfo;

/**
 * Reads and creates material documents of the simulated API_MATERIAL_DOCUMENT_SRV: a header with
 * its items in one deep insert, checked as SAP checks a goods issue to a production order
 * (GoodsMovementCode 03, movement type 261 with a released ManufacturingOrder, a quantity and unit).
 * The error codes are simulated, shaped like SAP's T100 ids (M7 is MM inventory management's class).
 */
class MaterialDocumentProcessor extends BatchingProcessor {

    private final DocumentBook headers;
    private final Map<String, ErpSimulatorProperties.ReleasedOrder> orders;
    private final String user;

    MaterialDocumentProcessor(DocumentBook headers, Map<String, ErpSimulatorProperties.ReleasedOrder> orders, String user, Changesets changesets) {
        super(changesets);
        this.headers = headers;
        this.orders = orders;
        this.user = user;
    }

    @Override
    public ODataResponse readEntitySet(GetEntitySetUriInfo uriInfo, String contentType) throws ODataException {
        List<Map<String, Object>> matching = new ArrayList<>();
        for (Map<String, Object> header : headers.all()) {
            header.remove("items");
            if (EntityFilter.matches(uriInfo.getFilter(), header)) {
                matching.add(header);
            }
        }
        int skip = uriInfo.getSkip() == null ? 0 : Math.min(uriInfo.getSkip(), matching.size());
        int end = uriInfo.getTop() == null ? matching.size() : Math.min(matching.size(), skip + uriInfo.getTop());
        return EntityProvider.writeFeed(contentType, uriInfo.getStartEntitySet(), matching.subList(skip, end),
                EntityProviderWriteProperties.serviceRoot(getContext().getPathInfo().getServiceRoot()).build());
    }

    @Override
    public ODataResponse createEntity(PostUriInfo uriInfo, InputStream content, String requestContentType, String contentType)
            throws ODataException {
        EdmEntitySet entitySet = uriInfo.getStartEntitySet();
        ODataEntry entry = EntityProvider.readEntry(requestContentType, entitySet, content,
                EntityProviderReadProperties.init().mergeSemantic(false).build());
        Map<String, Object> in = entry.getProperties();
        String code = (String) in.get("GoodsMovementCode");
        if (!"03".equals(code)) {
            throw new SapBusinessException("M7/001", "GoodsMovementCode", "Goods movement code '" + code
                    + "' is not supported here; a goods issue to an order is code 03");
        }
        List<Map<String, Object>> items = items(in.get(MaterialDocumentEdmProvider.TO_ITEMS));
        if (items.isEmpty()) {
            throw new SapBusinessException("M7/021", MaterialDocumentEdmProvider.TO_ITEMS, "Enter at least one item");
        }
        Calendar posting = in.get("PostingDate") instanceof Calendar c ? c : Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        String year = String.valueOf(posting.get(Calendar.YEAR));
        String number = headers.nextNumber();
        List<Map<String, Object>> booked = new ArrayList<>();
        int position = 1;
        for (Map<String, Object> item : items) {
            booked.add(item(item, year, number, String.format("%04d", position++)));
        }
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("MaterialDocumentYear", year);
        header.put("MaterialDocument", number);
        header.put("GoodsMovementCode", code);
        header.put("PostingDate", posting);
        header.put("DocumentDate", in.getOrDefault("DocumentDate", posting));
        header.put("MaterialDocumentHeaderText", in.getOrDefault("MaterialDocumentHeaderText", ""));
        header.put("ReferenceDocument", in.getOrDefault("ReferenceDocument", ""));
        header.put("CreatedByUser", user.toUpperCase(java.util.Locale.ROOT));
        header.put("CreationDate", Calendar.getInstance(TimeZone.getTimeZone("UTC")));
        Map<String, Object> kept = new LinkedHashMap<>(header);
        kept.put("items", booked);
        headers.add(kept);
        return EntityProvider.writeEntry(contentType, entitySet, header,
                EntityProviderWriteProperties.serviceRoot(getContext().getPathInfo().getServiceRoot()).build());
    }

    private Map<String, Object> item(Map<String, Object> in, String year, String number, String position) throws SapBusinessException {
        String movementType = (String) in.get("GoodsMovementType");
        if (!"261".equals(movementType)) {
            throw new SapBusinessException("M7/002", "GoodsMovementType", "Movement type '" + movementType
                    + "' is not allowed with goods movement code 03 here; a goods issue to an order is 261");
        }
        String order = (String) in.get("ManufacturingOrder");
        ErpSimulatorProperties.ReleasedOrder released = order == null ? null : orders.get(order);
        if (released == null) {
            throw new SapBusinessException("M7/104", "ManufacturingOrder", "Order " + order + " does not exist or is not released");
        }
        String material = (String) in.get("Material");
        if (material == null || material.isBlank()) {
            throw new SapBusinessException("M7/018", "Material", "Enter a material");
        }
        String plant = (String) in.get("Plant");
        if (!released.plant().equals(plant)) {
            throw new SapBusinessException("M7/053", "Plant", "Order " + order + " belongs to plant " + released.plant()
                    + ", not " + plant);
        }
        BigDecimal quantity = in.get("QuantityInEntryUnit") instanceof BigDecimal q ? q : null;
        if (quantity == null || quantity.signum() <= 0) {
            throw new SapBusinessException("M7/019", "QuantityInEntryUnit", "Enter a quantity greater than zero for material "
                    + material);
        }
        String unit = (String) in.get("EntryUnit");
        if (unit == null || unit.isBlank()) {
            throw new SapBusinessException("M7/020", "EntryUnit", "Enter a unit of entry for material " + material);
        }
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("MaterialDocumentYear", year);
        item.put("MaterialDocument", number);
        item.put("MaterialDocumentItem", position);
        item.put("Material", material);
        item.put("Plant", plant);
        item.put("StorageLocation", in.getOrDefault("StorageLocation", ""));
        item.put("Batch", in.getOrDefault("Batch", ""));
        item.put("GoodsMovementType", movementType);
        item.put("ManufacturingOrder", order);
        item.put("QuantityInEntryUnit", quantity);
        item.put("EntryUnit", unit);
        return item;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Object inline) {
        List<Map<String, Object>> items = new ArrayList<>();
        if (inline instanceof ODataFeed feed) {
            feed.getEntries().forEach(e -> items.add(e.getProperties()));
        } else if (inline instanceof ODataEntry single) {
            items.add(single.getProperties());
        } else if (inline instanceof List<?> list) {
            list.forEach(e -> items.add(e instanceof ODataEntry entry ? entry.getProperties() : (Map<String, Object>) e));
        }
        return items;
    }
}
