package io.millwright.sim.erp;

import java.util.ArrayList;
import java.util.List;
import org.apache.olingo.odata2.api.edm.EdmSimpleTypeKind;
import org.apache.olingo.odata2.api.edm.FullQualifiedName;
import org.apache.olingo.odata2.api.edm.provider.AnnotationAttribute;
import org.apache.olingo.odata2.api.edm.provider.EdmProvider;
import org.apache.olingo.odata2.api.edm.provider.EntityContainer;
import org.apache.olingo.odata2.api.edm.provider.EntityContainerInfo;
import org.apache.olingo.odata2.api.edm.provider.EntitySet;
import org.apache.olingo.odata2.api.edm.provider.EntityType;
import org.apache.olingo.odata2.api.edm.provider.Facets;
import org.apache.olingo.odata2.api.edm.provider.Key;
import org.apache.olingo.odata2.api.edm.provider.Property;
import org.apache.olingo.odata2.api.edm.provider.PropertyRef;
import org.apache.olingo.odata2.api.edm.provider.Schema;
import org.apache.olingo.odata2.api.edm.provider.SimpleProperty;

/**
 * The entity data model of the simulated API_PROD_ORDER_CONFIRMATION_2_SRV: entity type
 * {@code A_ProdnOrdConf2Type}'s main properties with SAP's types and lengths (from SAP's OpenAPI
 * and service metadata, REFERENCE §1.1), in entity set {@code ProdnOrdConf2}.
 */
class ConfirmationEdmProvider extends EdmProvider {

    static final String NAMESPACE = "API_PROD_ORDER_CONFIRMATION_2_SRV";
    static final String CONTAINER = "API_PROD_ORDER_CONFIRMATION_2_SRV_Entities";
    static final String ENTITY_SET = "ProdnOrdConf2";
    static final FullQualifiedName ENTITY_TYPE = new FullQualifiedName(NAMESPACE, "A_ProdnOrdConf2Type");

    private static final String SAP_NAMESPACE = "http://www.sap.com/Protocols/SAPData";

    @Override
    public List<Schema> getSchemas() {
        return List.of(new Schema()
                .setNamespace(NAMESPACE)
                .setEntityTypes(List.of(getEntityType(ENTITY_TYPE)))
                .setEntityContainers(List.of(new EntityContainer()
                        .setName(CONTAINER)
                        .setDefaultEntityContainer(true)
                        .setEntitySets(List.of(getEntitySet(CONTAINER, ENTITY_SET))))));
    }

    @Override
    public EntityType getEntityType(FullQualifiedName name) {
        if (!ENTITY_TYPE.equals(name)) {
            return null;
        }
        List<Property> properties = new ArrayList<>();
        properties.add(string("ConfirmationGroup", 10, false));
        properties.add(string("ConfirmationCount", 8, false));
        properties.add(string("OrderID", 12, true));
        properties.add(string("Sequence", 6, true));
        properties.add(string("OrderOperation", 4, true));
        properties.add(string("OrderSuboperation", 4, true));
        properties.add(string("Plant", 4, true));
        properties.add(string("WorkCenter", 8, true));
        properties.add(string("Personnel", 8, true));
        properties.add(string("ConfirmationText", 40, true));
        properties.add(string("ConfirmationUnit", 3, true));
        properties.add(decimal("ConfirmationYieldQuantity"));
        properties.add(decimal("ConfirmationScrapQuantity"));
        properties.add(decimal("ConfirmationReworkQuantity"));
        properties.add(date("PostingDate"));
        properties.add(string("FinalConfirmationType", 1, true));
        properties.add(simple("IsFinalConfirmation", EdmSimpleTypeKind.Boolean));
        properties.add(simple("ExternalSystemConfirmation", EdmSimpleTypeKind.Guid));
        properties.add(string("EnteredByUser", 12, true));
        properties.add(date("ConfirmationEntryDate"));
        properties.add(simple("ConfirmationEntryTime", EdmSimpleTypeKind.Time));
        properties.add(simple("IsReversed", EdmSimpleTypeKind.Boolean));
        properties.add(simple("IsReversal", EdmSimpleTypeKind.Boolean));
        return new EntityType()
                .setName(ENTITY_TYPE.getName())
                .setProperties(properties)
                .setKey(new Key().setKeys(List.of(
                        new PropertyRef().setName("ConfirmationGroup"),
                        new PropertyRef().setName("ConfirmationCount"))));
    }

    @Override
    public EntitySet getEntitySet(String entityContainer, String name) {
        if (!CONTAINER.equals(entityContainer) || !ENTITY_SET.equals(name)) {
            return null;
        }
        // SAP marks the set create/read only
        return new EntitySet().setName(ENTITY_SET).setEntityType(ENTITY_TYPE)
                .setAnnotationAttributes(List.of(sap("updatable", "false"), sap("deletable", "false")));
    }

    @Override
    public EntityContainerInfo getEntityContainerInfo(String name) {
        if (name == null || CONTAINER.equals(name)) {
            return new EntityContainerInfo().setName(CONTAINER).setDefaultEntityContainer(true);
        }
        return null;
    }

    static SimpleProperty string(String name, int maxLength, boolean nullable) {
        return new SimpleProperty().setName(name).setType(EdmSimpleTypeKind.String)
                .setFacets(new Facets().setMaxLength(maxLength).setNullable(nullable));
    }

    static SimpleProperty decimal(String name) {
        return new SimpleProperty().setName(name).setType(EdmSimpleTypeKind.Decimal)
                .setFacets(new Facets().setPrecision(13).setScale(3));
    }

    static SimpleProperty date(String name) {
        // Edm.DateTime with date semantics: midnight UTC
        return new SimpleProperty().setName(name).setType(EdmSimpleTypeKind.DateTime)
                .setFacets(new Facets().setPrecision(0))
                .setAnnotationAttributes(List.of(sap("display-format", "Date")));
    }

    static SimpleProperty simple(String name, EdmSimpleTypeKind type) {
        return new SimpleProperty().setName(name).setType(type);
    }

    static AnnotationAttribute sap(String name, String text) {
        return new AnnotationAttribute().setNamespace(SAP_NAMESPACE).setPrefix("sap").setName(name).setText(text);
    }
}
