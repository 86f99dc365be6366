package io.millwright.security;

import java.util.Set;

import javax.management.ObjectName;

import jakarta.servlet.http.HttpServletRequest;

import org.jolokia.server.core.config.Configuration;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Jolokia's access policy, by the role of the logged-in user (Spring Security already let the
 * request in as at least a viewer; Hawtio's console goes through here too, as it calls Jolokia).
 *
 * <ul>
 *   <li>viewer, operator, integrator, analyst: {@code read}, {@code list}, {@code search},
 *       {@code version} only;
 *   <li>admin: also {@code write} and {@code exec} (and {@code notification}, {@code config});
 *   <li>nobody: operations of the diagnostic MBeans (HotSpotDiagnostic {@code dumpHeap},
 *       DiagnosticCommand, Flight Recorder, MLet class loading, the JMX connector servers),
 *       and no {@code write} or {@code exec} by {@code GET}: a GET carries no CSRF token, so a
 *       foreign page could fire it with the session cookie.
 * </ul>
 *
 * <p>Each allowed {@code write} and {@code exec} is written to the audit log. Jolokia creates
 * this class itself from {@code management.endpoint.jolokia.config.restrictorClass}; it reads the
 * user from Spring Security's context and the method from Spring's request context, both bound
 * to the request's thread.
 */
public class RoleAwareJolokiaRestrictor implements Restrictor {

    private static final Logger AUDIT = LoggerFactory.getLogger(AuditLog.LOGGER_NAME);

    private static final Set<RequestType> READS =
            Set.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH, RequestType.VERSION);

    /** MBeans whose operations nobody may call: they dump the heap (with every secret in it) or load code. */
    private static final Set<String> DENIED_DOMAINS_AND_TYPES = Set.of(
            "com.sun.management:type=HotSpotDiagnostic",
            "com.sun.management:type=DiagnosticCommand",
            "jdk.management.jfr:type=FlightRecorder",
            "javax.management.loading:type=MLet",
            "JMImplementation:type=MBeanServerDelegate");

    public RoleAwareJolokiaRestrictor() {}

    /** Jolokia's factory prefers this constructor. */
    public RoleAwareJolokiaRestrictor(Configuration configuration) {}

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return true; // per request type below: reads by GET or POST, write and exec by POST only
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        Set<String> roles = roles();
        if (roles.isEmpty()) {
            return false;
        }
        if (READS.contains(type)) {
            return roles.contains(Roles.VIEWER);
        }
        return roles.contains(Roles.ADMIN) && "POST".equalsIgnoreCase(currentMethod());
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        // the JVM's arguments and system properties can carry -D secrets: admin only
        if ("java.lang:type=Runtime".equals(name.getCanonicalName())
                && ("SystemProperties".equals(attribute) || "InputArguments".equals(attribute))) {
            return roles().contains(Roles.ADMIN);
        }
        return roles().contains(Roles.VIEWER);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        boolean allowed = changeAllowed(name);
        audit("write", name, attribute, allowed);
        return allowed;
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        boolean allowed = changeAllowed(name);
        audit("exec", name, operation, allowed);
        return allowed;
    }

    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return true; // the network gate is the HTTP login in front of Jolokia
    }

    @Override
    public boolean isOriginAllowed(String origin, boolean onlyWhenStrictCheckingIsEnabled) {
        return true; // CORS is Spring's: no cross-origin configuration, so browsers refuse foreign pages
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return false;
    }

    /** Admin, by POST (Jolokia does not always ask {@link #isTypeAllowed} for a GET), not a denied MBean. */
    private static boolean changeAllowed(ObjectName name) {
        return roles().contains(Roles.ADMIN) && "POST".equalsIgnoreCase(currentMethod()) && !denied(name);
    }

    static boolean denied(ObjectName name) {
        String domain = name.getDomain();
        String type = name.getKeyProperty("type");
        return DENIED_DOMAINS_AND_TYPES.contains(domain + ":type=" + type)
                || domain.startsWith("jdk.management.jfr")
                || "javax.management.remote.rmi".equals(domain)
                || "MLet".equals(type);
    }

    private static Set<String> roles() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return Roles.of(authentication);
    }

    private static String currentMethod() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes instanceof ServletRequestAttributes servlet) {
            HttpServletRequest request = servlet.getRequest();
            return request.getMethod();
        }
        return "";
    }

    private static void audit(String action, ObjectName name, String member, boolean allowed) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String user = AuditLog.who(authentication);
        String remote = "-";
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes servlet) {
            remote = servlet.getRequest().getRemoteAddr();
        }
        AUDIT.info("user={} from={} action=jolokia-{} target={}#{} outcome={}",
                user, remote, action, name, member, allowed ? "allowed" : "denied");
    }
}
