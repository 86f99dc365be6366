package io.millwright.sim.erp;

import static io.millwright.sim.erp.ConfirmationEdmProvider.date;
import static io.millwright.sim.erp.ConfirmationEdmProvider.decimal;
import static io.millwright.sim.erp.ConfirmationEdmProvider.sap;
import static io.millwright.sim.erp.ConfirmationEdmProvider.string;

import java.util.List;
import org.apache.olingo.odata2.api.edm.EdmMultiplicity;
import org.apache.olingo.odata2.api.edm.FullQualifiedName;
import org.apache.olingo.odata2.api.edm.provider.Association;
import org.apache.olingo.odata2.api.edm.provider.AssociationEnd;
import org.apache.olingo.odata2.api.edm.provider.AssociationSet;
import org.apache.olingo.odata2.api.edm.provider.AssociationSetEnd;
import org.apache.olingo.odata2.api.edm.provider.EdmProvider;
import org.apache.olingo.odata2.api.edm.provider.EntityContainer;
import org.apache.olingo.odata2.api.edm.provider.EntityContainerInfo;
import org.apache.olingo.odata2.api.edm.provider.EntitySet;
import org.apache.olingo.odata2.api.edm.provider.EntityType;
import org.apache.olingo.odata2.api.edm.provider.Key;
import org.apache.olingo.odata2.api.edm.provider.NavigationProperty;
import org.apache.olingo.odata2.api.edm.provider.PropertyRef;
import org.apache.olingo.odata2.api.edm.provider.Schema;

/**
 * The entity data model of the simulated API_MATERIAL_DOCUMENT_SRV (REFERENCE §1.4): header
 * {@code A_MaterialDocumentHeader} (key MaterialDocumentYear + MaterialDocument) with its items
 * {@code A_MaterialDocumentItem} behind navigation {@code to_MaterialDocumentItem}, created together
 * by a deep insert. The properties the hub uses, with SAP's names and lengths.
 */
class MaterialDocumentEdmProvider extends EdmProvider {

    static final String NAMESPACE = "API_MATERIAL_DOCUMENT_SRV";
    static final String CONTAINER = "API_MATERIAL_DOCUMENT_SRV_Entities";
    static final String HEADERS = "A_MaterialDocumentHeader";
    static final String ITEMS = "A_MaterialDocumentItem";
    static final String TO_ITEMS = "to_MaterialDocumentItem";
    static final FullQualifiedName HEADER_TYPE = new FullQualifiedName(NAMESPACE, "A_MaterialDocumentHeaderType");
    static final FullQualifiedName ITEM_TYPE = new FullQualifiedName(NAMESPACE, "A_MaterialDocumentItemType");
    static final FullQualifiedName HEADER_ITEMS = new FullQualifiedName(NAMESPACE, "assoc_MaterialDocumentHeader_Item");
    private static final String HEADER_ROLE = "FromRole_assoc_MaterialDocumentHeader_Item";
    private static final String ITEM_ROLE = "ToRole_assoc_MaterialDocumentHeader_Item";

    @Override
    public List<Schema> getSchemas() {
        return List.of(new Schema()
                .setNamespace(NAMESPACE)
                .setEntityTypes(List.of(getEntityType(HEADER_TYPE), getEntityType(ITEM_TYPE)))
                .setAssociations(List.of(getAssociation(HEADER_ITEMS)))
                .setEntityContainers(List.of(new EntityContainer()
                        .setName(CONTAINER)
                        .setDefaultEntityContainer(true)
                        .setEntitySets(List.of(getEntitySet(CONTAINER, HEADERS), getEntitySet(CONTAINER, ITEMS)))
                        .setAssociationSets(List.of(getAssociationSet(CONTAINER, HEADER_ITEMS, HEADERS, HEADER_ROLE))))));
    }

    @Override
    public EntityType getEntityType(FullQualifiedName name) {
        if (HEADER_TYPE.equals(name)) {
            return new EntityType().setName(HEADER_TYPE.getName())
                    .setProperties(List.of(
                            string("MaterialDocumentYear", 4, false),
                            string("MaterialDocument", 10, false),
                            string("GoodsMovementCode", 2, true),
                            date("PostingDate"),
                            date("DocumentDate"),
                            string("MaterialDocumentHeaderText", 25, true),
                            string("ReferenceDocument", 16, true),
                            string("CreatedByUser", 12, true),
                            date("CreationDate")))
                    .setKey(new Key().setKeys(List.of(new PropertyRef().setName("MaterialDocumentYear"),
                            new PropertyRef().setName("MaterialDocument"))))
                    .setNavigationProperties(List.of(new NavigationProperty().setName(TO_ITEMS)
                            .setRelationship(HEADER_ITEMS).setFromRole(HEADER_ROLE).setToRole(ITEM_ROLE)));
        }
        if (ITEM_TYPE.equals(name)) {
            return new EntityType().setName(ITEM_TYPE.getName())
                    .setProperties(List.of(
                            string("MaterialDocumentYear", 4, false),
                            string("MaterialDocument", 10, false),
                            string("MaterialDocumentItem", 4, false),
                            string("Material", 40, true),
                            string("Plant", 4, true),
                            string("StorageLocation", 4, true),
                            string("Batch", 10, true),
                            string("GoodsMovementType", 3, true),
                            string("ManufacturingOrder", 12, true),
                            decimal("QuantityInEntryUnit"),
                            string("EntryUnit", 3, true)))
                    .setKey(new Key().setKeys(List.of(new PropertyRef().setName("MaterialDocumentYear"),
                            new PropertyRef().setName("MaterialDocument"), new PropertyRef().setName("MaterialDocumentItem"))));
        }
        return null;
    }

    @Override
    public Association getAssociation(FullQualifiedName name) {
        if (!HEADER_ITEMS.equals(name)) {
            return null;
        }
        return new Association().setName(HEADER_ITEMS.getName())
                .setEnd1(new AssociationEnd().setType(HEADER_TYPE).setRole(HEADER_ROLE).setMultiplicity(EdmMultiplicity.ONE))
                .setEnd2(new AssociationEnd().setType(ITEM_TYPE).setRole(ITEM_ROLE).setMultiplicity(EdmMultiplicity.MANY));
    }

    @Override
    public AssociationSet getAssociationSet(String container, FullQualifiedName association, String sourceEntitySet,
            String sourceRole) {
        if (!CONTAINER.equals(container) || !HEADER_ITEMS.equals(association)) {
            return null;
        }
        return new AssociationSet().setName(HEADER_ITEMS.getName()).setAssociation(HEADER_ITEMS)
                .setEnd1(new AssociationSetEnd().setRole(HEADER_ROLE).setEntitySet(HEADERS))
                .setEnd2(new AssociationSetEnd().setRole(ITEM_ROLE).setEntitySet(ITEMS));
    }

    @Override
    public EntitySet getEntitySet(String container, String name) {
        if (!CONTAINER.equals(container)) {
            return null;
        }
        if (HEADERS.equals(name)) {
            return new EntitySet().setName(HEADERS).setEntityType(HEADER_TYPE)
                    .setAnnotationAttributes(List.of(sap("updatable", "false"), sap("deletable", "false")));
        }
        if (ITEMS.equals(name)) {
            return new EntitySet().setName(ITEMS).setEntityType(ITEM_TYPE)
                    .setAnnotationAttributes(List.of(sap("creatable", "false"), sap("deletable", "false")));
        }
        return null;
    }

    @Override
    public EntityContainerInfo getEntityContainerInfo(String name) {
        if (name == null || CONTAINER.equals(name)) {
            return new EntityContainerInfo().setName(CONTAINER).setDefaultEntityContainer(true);
        }
        return null;
    }
}
