package io.millwright.sim.erp;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import org.apache.olingo.odata2.api.ep.EntityProvider;
import org.apache.olingo.odata2.api.ep.EntityProviderReadProperties;
import org.apache.olingo.odata2.api.ep.EntityProviderWriteProperties;
import org.apache.olingo.odata2.api.exception.ODataException;
import org.apache.olingo.odata2.api.processor.ODataResponse;
import org.apache.olingo.odata2.api.uri.info.GetEntitySetUriInfo;
import org.apache.olingo.odata2.api.uri.info.PostUriInfo;

/**
 * Reads and creates maintenance notifications of the simulated API_MAINTNOTIFICATION, checked as
 * SAP checks a new notification: a known type (M1 maintenance request, M2 malfunction report), a
 * short text, a technical object, a priority 1 to 4. Error codes simulated (IW is PM notification's class).
 */
class MaintNotificationProcessor extends BatchingProcessor {

    private static final Set<String> TYPES = Set.of("M1", "M2", "M3");

    private final DocumentBook notifications;
    private final String user;

    MaintNotificationProcessor(DocumentBook notifications, String user, Changesets changesets) {
        super(changesets);
        this.notifications = notifications;
        this.user = user;
    }

    @Override
    public ODataResponse readEntitySet(GetEntitySetUriInfo uriInfo, String contentType) throws ODataException {
        List<Map<String, Object>> matching = new ArrayList<>();
        for (Map<String, Object> notification : notifications.all()) {
            if (EntityFilter.matches(uriInfo.getFilter(), notification)) {
                matching.add(notification);
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
        Map<String, Object> in = EntityProvider.readEntry(requestContentType, uriInfo.getStartEntitySet(), content,
                EntityProviderReadProperties.init().mergeSemantic(false).build()).getProperties();
        String type = (String) in.get("NotificationType");
        if (type == null || !TYPES.contains(type)) {
            throw new SapBusinessException("IW/010", "NotificationType", "Notification type '" + type + "' is not defined");
        }
        String text = (String) in.get("NotificationText");
        if (text == null || text.isBlank()) {
            throw new SapBusinessException("IW/011", "NotificationText", "Enter a short text for the notification");
        }
        String object = (String) in.get("TechnicalObject");
        if (object == null || object.isBlank()) {
            throw new SapBusinessException("IW/012", "TechnicalObject", "Enter an equipment or functional location");
        }
        String priority = (String) in.get("MaintPriority");
        if (priority != null && !priority.isBlank() && !priority.matches("[1-4]")) {
            throw new SapBusinessException("IW/013", "MaintPriority", "Priority '" + priority + "' is not defined (1 to 4)");
        }
        Map<String, Object> notification = new LinkedHashMap<>();
        notification.put("MaintenanceNotification", notifications.nextNumber());
        notification.put("NotificationType", type);
        notification.put("NotificationText", text);
        notification.put("MaintNotifLongTextForEdit", in.getOrDefault("MaintNotifLongTextForEdit", ""));
        notification.put("TechnicalObject", object);
        notification.put("TechObjIsEquipOrFuncnlLoc", in.getOrDefault("TechObjIsEquipOrFuncnlLoc", "EAMS_EQUI"));
        notification.put("MaintPriority", priority == null ? "" : priority);
        notification.put("MaintenancePlanningPlant", in.getOrDefault("MaintenancePlanningPlant", ""));
        notification.put("ReportedByUser", user.toUpperCase(java.util.Locale.ROOT));
        notification.put("MalfunctionStartDate", in.get("MalfunctionStartDate"));
        notification.put("MaintenanceObjectIsDown", Boolean.TRUE.equals(in.get("MaintenanceObjectIsDown")));
        notification.put("CreationDate", Calendar.getInstance(TimeZone.getTimeZone("UTC")));
        notifications.add(notification);
        return EntityProvider.writeEntry(contentType, uriInfo.getStartEntitySet(), notification,
                EntityProviderWriteProperties.serviceRoot(getContext().getPathInfo().getServiceRoot()).build());
    }
}
