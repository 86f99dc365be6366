package io.millwright.sim.erp;

import static io.millwright.sim.erp.ConfirmationEdmProvider.date;
import static io.millwright.sim.erp.ConfirmationEdmProvider.sap;
import static io.millwright.sim.erp.ConfirmationEdmProvider.simple;
import static io.millwright.sim.erp.ConfirmationEdmProvider.string;

import java.util.List;
import org.apache.olingo.odata2.api.edm.EdmSimpleTypeKind;
import org.apache.olingo.odata2.api.edm.FullQualifiedName;
import org.apache.olingo.odata2.api.edm.provider.EdmProvider;
import org.apache.olingo.odata2.api.edm.provider.EntityContainer;
import org.apache.olingo.odata2.api.edm.provider.EntityContainerInfo;
import org.apache.olingo.odata2.api.edm.provider.EntitySet;
import org.apache.olingo.odata2.api.edm.provider.EntityType;
import org.apache.olingo.odata2.api.edm.provider.Key;
import org.apache.olingo.odata2.api.edm.provider.PropertyRef;
import org.apache.olingo.odata2.api.edm.provider.Schema;

/**
 * The entity data model of the simulated API_MAINTNOTIFICATION (REFERENCE §1.5): entity set
 * {@code MaintenanceNotification}, key {@code MaintenanceNotification} (12), with the fields the hub
 * sends. Lengths as REFERENCE §1.5 gives them (from a third-party table; not checked against SAP's $metadata).
 */
class MaintNotificationEdmProvider extends EdmProvider {

    static final String NAMESPACE = "API_MAINTNOTIFICATION";
    static final String CONTAINER = "API_MAINTNOTIFICATION_Entities";
    static final String ENTITY_SET = "MaintenanceNotification";
    static final FullQualifiedName ENTITY_TYPE = new FullQualifiedName(NAMESPACE, "MaintenanceNotificationType");

    @Override
    public List<Schema> getSchemas() {
        return List.of(new Schema().setNamespace(NAMESPACE)
                .setEntityTypes(List.of(getEntityType(ENTITY_TYPE)))
                .setEntityContainers(List.of(new EntityContainer().setName(CONTAINER).setDefaultEntityContainer(true)
                        .setEntitySets(List.of(getEntitySet(CONTAINER, ENTITY_SET))))));
    }

    @Override
    public EntityType getEntityType(FullQualifiedName name) {
        if (!ENTITY_TYPE.equals(name)) {
            return null;
        }
        return new EntityType().setName(ENTITY_TYPE.getName())
                .setProperties(List.of(
                        string("MaintenanceNotification", 12, false),
                        string("NotificationType", 2, true),
                        string("NotificationText", 40, true),
                        string("MaintNotifLongTextForEdit", 4000, true),
                        string("TechnicalObject", 40, true),
                        string("TechObjIsEquipOrFuncnlLoc", 10, true),
                        string("MaintPriority", 1, true),
                        string("MaintenancePlanningPlant", 4, true),
                        string("ReportedByUser", 12, true),
                        date("MalfunctionStartDate"),
                        simple("MaintenanceObjectIsDown", EdmSimpleTypeKind.Boolean),
                        date("CreationDate")))
                .setKey(new Key().setKeys(List.of(new PropertyRef().setName("MaintenanceNotification"))));
    }

    @Override
    public EntitySet getEntitySet(String container, String name) {
        if (!CONTAINER.equals(container) || !ENTITY_SET.equals(name)) {
            return null;
        }
        return new EntitySet().setName(ENTITY_SET).setEntityType(ENTITY_TYPE)
                .setAnnotationAttributes(List.of(sap("deletable", "false")));
    }

    @Override
    public EntityContainerInfo getEntityContainerInfo(String name) {
        if (name == null || CONTAINER.equals(name)) {
            return new EntityContainerInfo().setName(CONTAINER).setDefaultEntityContainer(true);
        }
        return null;
    }
}
