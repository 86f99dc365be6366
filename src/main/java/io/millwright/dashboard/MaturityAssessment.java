package io.millwright.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Benchmark your maturity": the five dimensions of the reference model, each scored 0 to 5 from
 * what the hub sees running now, with the evidence behind the score and the next step. Pure: the
 * {@link Evidence} is gathered by {@link MaturityController} from health, the tracking store, the
 * event feed and the live clients.
 */
final class MaturityAssessment {

    static final int MAX_SCORE = 5;

    /** One dimension: its score 0-5, the facts behind it, and what would raise it. */
    record Dimension(String name, int score, List<String> evidence, String nextStep) {}

    /**
     * What the hub sees now.
     *
     * @param connections the OPC UA connections
     * @param components health component name -> status (UP, DOWN, ...)
     * @param routesStarted Camel routes running
     * @param events canonical events published since start, by type name (signals excluded)
     * @param erpConfirmed of the last confirmations, those the ERP confirmed (SAP number known)
     * @param erpPending outbox rows waiting (null: no ERP outbox)
     * @param erpParked outbox rows parked for a person
     * @param dashboardConnections live dashboard and asset-feed connections since start
     * @param liveClients live clients connected now
     */
    record Evidence(List<HubStatus.Connection> connections, Map<String, String> components, int routesStarted,
            Map<String, Long> events, int erpConfirmed, Long erpPending, Long erpParked, long dashboardConnections,
            int liveClients) {}

    private MaturityAssessment() {}

    static List<Dimension> assess(Evidence evidence) {
        return List.of(connectivity(evidence), integration(evidence), analytics(evidence), convergence(evidence),
                userExperience(evidence));
    }

    static Dimension connectivity(Evidence e) {
        List<String> facts = new ArrayList<>();
        long connected = e.connections().stream().filter(HubStatus.Connection::connected).count();
        long secured = e.connections().stream().filter(HubStatus.Connection::isSecured).count();
        int total = e.connections().size();
        facts.add(total + " OPC UA connection(s), " + connected + " connected, " + secured + " with a security policy other than None");
        boolean sparkplug = isUp(e, "sparkplug");
        if (sparkplug) {
            facts.add("Sparkplug B host application UP");
        }
        int score;
        String next;
        if (total == 0 && !sparkplug) {
            score = 0;
            next = "Connect a machine: add an OPC UA connection file in adapters/opcua/ (or enable Sparkplug B)";
        } else if (connected == 0 && !sparkplug) {
            score = 1;
            next = "Bring a connection up: check the endpoint and certificates in GET /actuator/health (component opcua)";
        } else if (connected < total) {
            score = 2;
            next = "Bring every connection up: " + (total - connected) + " of " + total + " have no session";
        } else if (secured == 0) {
            score = 3;
            next = "Secure the connections: security-policy Basic256Sha256 and security-mode SignAndEncrypt in adapters/opcua/";
        } else if (secured < total) {
            score = 4;
            next = "Secure the remaining " + (total - secured) + " connection(s) (security policy None today)";
        } else {
            score = 5;
            next = "Keep it: watch data gaps and reconnects in health component opcua";
        }
        return new Dimension("connectivity readiness", score, facts, next);
    }

    static Dimension integration(Evidence e) {
        List<String> facts = new ArrayList<>();
        long published = e.events().values().stream().mapToLong(Long::longValue).sum();
        facts.add(e.routesStarted() + " Camel route(s) running");
        facts.add(published + " canonical event(s) published since start (signals not counted): " + e.events());
        int score = 0;
        String next = "Start a flow: the hub runs no route";
        if (e.routesStarted() > 0) {
            score = 1;
            next = "Publish canonical events: map a machine's state and counters in mappings/assets.yaml";
        }
        if (score == 1 && published > 0) {
            score = 2;
            next = "Track documents end to end: let counts reach the ERP outbox (GET /api/tracking)";
        }
        if (e.erpPending() != null) {
            facts.add("ERP documents tracked: " + e.erpConfirmed() + " of the last confirmed, " + e.erpPending() + " pending, "
                    + e.erpParked() + " parked");
        }
        if (score == 2 && e.erpConfirmed() > 0) {
            score = 3;
            next = "Clear the parked documents: resubmit or discard them (GET /api/tracking?status=parked)";
        }
        if (score == 3 && e.erpParked() != null && e.erpParked() == 0) {
            score = 4;
            next = "Tie each flow to the business outcome it serves (route property outcome), so outcomes can be measured";
        }
        return new Dimension("integration maturity", score, facts, next);
    }

    static Dimension analytics(Evidence e) {
        List<String> facts = new ArrayList<>();
        int score = 0;
        if (isUp(e, "analyticsLake")) {
            score += 2;
            facts.add("data lake UP (health component analyticsLake)");
        } else {
            facts.add("data lake " + status(e, "analyticsLake"));
        }
        if (isUp(e, "analyticsRollups")) {
            score++;
            facts.add("time-series rollups UP");
        }
        if (isUp(e, "alerting")) {
            score++;
            facts.add("alert rules evaluated (health component alerting UP)");
        }
        long insights = e.events().getOrDefault("anomaly", 0L) + e.events().getOrDefault("maintenance-request", 0L)
                + e.events().getOrDefault("alert", 0L);
        facts.add(insights + " anomaly, maintenance-request and alert event(s) since start");
        if (insights > 0) {
            score++;
        }
        String next = score < 2 ? "Switch analytics on: millwright.analytics.enabled=true (lake, rollups, OEE)"
                : score < 4 ? "Switch on alert rules (analytics-bridge/alert-rules.yaml) and anomaly detection"
                : score < 5 ? "Let anomaly detection learn the machines: it raises its first events after warm-up"
                : "Act on the insights: route maintenance requests to the maintenance system";
        return new Dimension("analytics capability", Math.min(score, MAX_SCORE), facts, next);
    }

    static Dimension convergence(Evidence e) {
        List<String> facts = new ArrayList<>();
        int score = 0;
        for (String broker : List.of("embeddedKafka", "embeddedArtemis")) {
            String status = status(e, broker);
            facts.add(broker + " " + status);
            if ("UP".equals(status)) {
                score++;
            }
        }
        long published = e.events().values().stream().mapToLong(Long::longValue).sum();
        if (published > 0) {
            facts.add("MES events flowing (" + published + " since start)");
        }
        if (e.erpConfirmed() > 0) {
            score += 2;
            facts.add("ERP connected: " + e.erpConfirmed() + " of the last confirmations carry SAP numbers");
        } else {
            facts.add("no confirmation confirmed by the ERP yet");
        }
        if (e.erpConfirmed() > 0 && e.erpParked() != null && e.erpParked() == 0) {
            score++;
            facts.add("nothing parked between shop floor and ERP");
        }
        String next = score < 2 ? "Connect the MES side: Kafka and Artemis must be UP (health)"
                : e.erpConfirmed() == 0 ? "Connect the ERP: production counts should come back with SAP confirmation numbers"
                : score < 5 ? "Clear parked ERP documents and connect SCM, CRM and PLM"
                : "Connect SCM, CRM and PLM through mapped sinks";
        return new Dimension("system convergence", Math.min(score, MAX_SCORE), facts, next);
    }

    static Dimension userExperience(Evidence e) {
        List<String> facts = new ArrayList<>();
        int score = 1;
        facts.add("live dashboard served at /dashboard, asset feed at /api/assets/states");
        facts.add(e.dashboardConnections() + " live connection(s) since start, " + e.liveClients() + " open now");
        if (e.dashboardConnections() > 0) {
            score += 2;
        }
        if (e.liveClients() > 0) {
            score++;
        }
        if (e.liveClients() > 1) {
            score++;
        }
        String next = e.dashboardConnections() == 0 ? "Open /dashboard on the shop floor (a phone works) and log in as viewer"
                : e.liveClients() == 0 ? "Keep a dashboard open where decisions are made (line, control room)"
                : e.liveClients() < 2 ? "Give a second team the dashboard or a mixed-reality client on /api/assets/states/stream"
                : "Turn on spoken alerts where hands are busy";
        return new Dimension("digital user experience", Math.min(score, MAX_SCORE), facts, next);
    }

    private static boolean isUp(Evidence e, String component) {
        return "UP".equals(status(e, component));
    }

    private static String status(Evidence e, String component) {
        for (Map.Entry<String, String> entry : e.components().entrySet()) {
            if (entry.getKey().toLowerCase(Locale.ROOT).equals(component.toLowerCase(Locale.ROOT))) {
                return entry.getValue();
            }
        }
        return "absent";
    }
}
