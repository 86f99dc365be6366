package io.millwright.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Each dimension's score follows the live facts, and its next step names what is missing. */
class MaturityAssessmentTest {

    static final HubStatus.Connection UP_NONE = new HubStatus.Connection("plant-sim", true, "http://opcfoundation.org/UA/SecurityPolicy#None", "None", null);
    static final HubStatus.Connection UP_SECURE =
            new HubStatus.Connection("press", true, "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256", "SignAndEncrypt", null);
    static final HubStatus.Connection DOWN_NONE = new HubStatus.Connection("oven", false, null, null, null);

    static MaturityAssessment.Evidence evidence(List<HubStatus.Connection> connections) {
        return new MaturityAssessment.Evidence(connections, Map.of(), 0, Map.of(), 0, null, null, 0, 0);
    }

    @Nested
    class Connectivity {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
            "none,         0, Connect a machine",
            "down,         1, Bring a connection up",
            "up+down,      2, Bring every connection up",
            "up,           3, Secure the connections",
            "up+secure,    4, Secure the remaining 1",
            "secure,       5, Keep it"})
        void scoreFollowsConnectionsUpAndSecured(String which, int score, String nextStep) {
            List<HubStatus.Connection> connections = switch (which) {
                case "none" -> List.of();
                case "down" -> List.of(DOWN_NONE);
                case "up+down" -> List.of(UP_NONE, DOWN_NONE);
                case "up" -> List.of(UP_NONE);
                case "up+secure" -> List.of(UP_NONE, UP_SECURE);
                default -> List.of(UP_SECURE);
            };
            MaturityAssessment.Dimension dimension = MaturityAssessment.connectivity(evidence(connections));
            assertThat(dimension.score()).isEqualTo(score);
            assertThat(dimension.nextStep()).startsWith(nextStep);
            assertThat(dimension.evidence().get(0)).contains(connections.size() + " OPC UA connection(s)");
        }
    }

    @Test
    void integrationRisesWithRoutesEventsAndErpDocuments_andStopsAtParkedOnes() {
        MaturityAssessment.Evidence idle = new MaturityAssessment.Evidence(List.of(), Map.of(), 0, Map.of(), 0, null, null, 0, 0);
        MaturityAssessment.Evidence flowing = new MaturityAssessment.Evidence(List.of(), Map.of(), 40, Map.of("machine-state", 12L),
                3, 0L, 2L, 0, 0);
        MaturityAssessment.Evidence clean = new MaturityAssessment.Evidence(List.of(), Map.of(), 40, Map.of("machine-state", 12L),
                3, 0L, 0L, 0, 0);
        assertThat(MaturityAssessment.integration(idle).score()).isZero();
        assertThat(MaturityAssessment.integration(flowing).score()).isEqualTo(3);
        assertThat(MaturityAssessment.integration(flowing).nextStep()).contains("parked");
        assertThat(MaturityAssessment.integration(clean).score()).isEqualTo(4);
    }

    @Test
    void analyticsAndConvergenceReadTheHealthComponents() {
        MaturityAssessment.Evidence on = new MaturityAssessment.Evidence(List.of(),
                Map.of("analyticsLake", "UP", "analyticsRollups", "UP", "alerting", "UP", "embeddedKafka", "UP", "embeddedArtemis", "UP"),
                40, Map.of("anomaly", 1L), 2, 0L, 0L, 0, 0);
        MaturityAssessment.Evidence off = new MaturityAssessment.Evidence(List.of(), Map.of("embeddedKafka", "DOWN"), 40, Map.of(), 0,
                null, null, 0, 0);
        assertThat(MaturityAssessment.analytics(on).score()).isEqualTo(5);
        assertThat(MaturityAssessment.analytics(off).score()).isZero();
        assertThat(MaturityAssessment.analytics(off).evidence()).contains("data lake absent");
        assertThat(MaturityAssessment.convergence(on).score()).isEqualTo(5);
        assertThat(MaturityAssessment.convergence(off).score()).isZero();
        assertThat(MaturityAssessment.convergence(off).evidence()).contains("embeddedKafka DOWN");
    }

    @Test
    void userExperienceCountsDashboardUse() {
        MaturityAssessment.Evidence unused = new MaturityAssessment.Evidence(List.of(), Map.of(), 0, Map.of(), 0, null, null, 0, 0);
        MaturityAssessment.Evidence inUse = new MaturityAssessment.Evidence(List.of(), Map.of(), 0, Map.of(), 0, null, null, 4, 2);
        assertThat(MaturityAssessment.userExperience(unused).score()).isEqualTo(1);
        assertThat(MaturityAssessment.userExperience(unused).nextStep()).contains("/dashboard");
        assertThat(MaturityAssessment.userExperience(inUse).score()).isEqualTo(5);
        assertThat(MaturityAssessment.assess(inUse)).extracting(MaturityAssessment.Dimension::name).containsExactly(
                "connectivity readiness", "integration maturity", "analytics capability", "system convergence", "digital user experience");
    }
}
