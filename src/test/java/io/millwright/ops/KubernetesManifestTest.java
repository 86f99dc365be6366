package io.millwright.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code config/k8s/millwright.yaml} as Kubernetes would read it, without a cluster (none here, and
 * no kubeconform): each document is bound to the Kubernetes API model (fabric8's classes, generated
 * from the API's OpenAPI schema), so a wrong type fails and a misspelt or unknown field is found
 * (the model keeps those as "additional properties"). Then what an IT department checks: the image
 * is the one the Jib build makes, the probes ask paths and ports the hub serves, memory is bounded
 * and fits the heap, secrets come only from the Secret (which holds no value), the data folder is on
 * a PersistentVolumeClaim, and every ConfigMap and port the StatefulSet names exists.
 */
class KubernetesManifestTest {

    static final Path MANIFEST = Path.of("config", "k8s", "millwright.yaml");
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/Service", Service.class, "apps/v1/StatefulSet", StatefulSet.class,
            "v1/ConfigMap", ConfigMap.class, "v1/Secret", Secret.class);

    static List<HasMetadata> documents;
    static StatefulSet statefulSet;
    static Container hub;

    @BeforeAll
    static void read() throws IOException {
        documents = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (Object document : new Yaml().loadAll(Files.readString(MANIFEST))) {
            if (document == null) {
                continue;
            }
            Map<?, ?> fields = (Map<?, ?>) document;
            String type = fields.get("apiVersion") + "/" + fields.get("kind");
            assertThat(KINDS).as("apiVersion/kind of a document in %s", MANIFEST).containsKey(type);
            // the Kubernetes API model of that kind: a field of the wrong type fails here
            documents.add(json.convertValue(document, KINDS.get(type)));
        }
        statefulSet = only(StatefulSet.class);
        hub = statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void everyDocumentIsAKnownKindWithOnlyFieldsOfTheKubernetesApi() {
        assertThat(documents).extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder("Service", "StatefulSet", "ConfigMap", "ConfigMap", "Secret");
        for (HasMetadata document : documents) {
            assertThat(document.getMetadata().getName()).as("%s name", document.getKind()).isNotBlank();
            assertThat(unknownFields(document, document.getKind(), new IdentityHashMap<>()))
                    .as("fields the Kubernetes API does not have (misspelt or misplaced) in %s", document.getKind())
                    .isEmpty();
        }
    }

    @Test
    void imageIsTheOneTheJibBuildMakes() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher to = Pattern.compile("<to><image>([^<]+)</image></to>").matcher(pom);
        assertThat(to.find()).as("Jib's <to><image> in pom.xml").isTrue();
        Matcher version = Pattern.compile("<artifactId>millwright</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(version.find()).as("the project version in pom.xml").isTrue();
        assertThat(hub.getImage()).isEqualTo(to.group(1).replace("${project.version}", version.group(1)));
    }

    @Test
    void probesAskTheHubsHealthGroupsOnItsHttpPort() {
        ContainerPort http = port("http");
        assertThat(http.getContainerPort()).isEqualTo(8080);
        assertProbe(hub.getStartupProbe(), "/actuator/health/liveness");
        assertProbe(hub.getLivenessProbe(), "/actuator/health/liveness");
        assertProbe(hub.getReadinessProbe(), "/actuator/health/readiness");
        // the startup probe gives a slow first start (Flyway, brokers) minutes before liveness may kill it
        Probe startup = hub.getStartupProbe();
        assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold()).as("seconds allowed for the first start")
                .isGreaterThanOrEqualTo(120);
        // the hub binds to loopback by default: in a pod it must listen on the pod's address for probes and the Service
        assertThat(hub.getArgs()).contains("--server.address=0.0.0.0");
    }

    @Test
    void memoryIsBoundedAndTheGracefulStopHasTime() {
        Quantity limit = hub.getResources().getLimits().get("memory");
        Quantity request = hub.getResources().getRequests().get("memory");
        assertThat(limit).as("memory limit (the image's JVM takes 60 %% of it as heap)").isNotNull();
        assertThat(request).as("memory request").isNotNull();
        assertThat(Quantity.getAmountInBytes(request)).isLessThanOrEqualTo(Quantity.getAmountInBytes(limit));
        // 60 % heap: at least the 512 MB heap scripts/millwright gives the hub
        assertThat(Quantity.getAmountInBytes(limit).doubleValue() * 0.6).isGreaterThanOrEqualTo(512 * 1024 * 1024);
        assertThat(hub.getResources().getRequests()).containsKey("cpu");
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .as("seconds for Camel's graceful stop before SIGKILL").isGreaterThanOrEqualTo(30);
        assertThat(statefulSet.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    }

    @Test
    void secretsComeOnlyFromTheSecret_whichHoldsNoValue() {
        Secret secret = only(Secret.class);
        assertThat(hub.getEnvFrom()).as("envFrom").anySatisfy(source ->
                assertThat(source.getSecretRef().getName()).isEqualTo(secret.getMetadata().getName()));
        // no password in the manifest: the Secret's values are blank (filled with kubectl create secret, or generated)
        Map<String, String> values = new java.util.TreeMap<>();
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        if (secret.getData() != null) {
            values.putAll(secret.getData());
        }
        assertThat(values).as("Secret keys").containsKeys("MILLWRIGHT_ADMIN_PASSWORD", "MILLWRIGHT_MES_PASSWORD")
                .allSatisfy((key, value) -> assertThat(value).as(key).isBlank());
        // nothing secret as a literal environment variable or argument
        if (hub.getEnv() != null) {
            hub.getEnv().stream().filter(env -> env.getName().matches("(?i).*(password|secret|token).*"))
                    .forEach(env -> assertThat(env.getValue()).as("literal value of %s", env.getName()).isNull());
        }
        assertThat(hub.getArgs()).noneMatch(arg -> arg.matches("(?i).*(password|secret|token).*"));
    }

    @Test
    void dataIsOnAPersistentVolumeClaim_andRoutesAndMappingsOnTheirConfigMaps() {
        StatefulSetSpec spec = statefulSet.getSpec();
        List<PersistentVolumeClaim> claims = spec.getVolumeClaimTemplates();
        assertThat(claims).extracting(claim -> claim.getMetadata().getName()).containsExactly("data");
        assertThat(claims.get(0).getSpec().getResources().getRequests()).containsKey("storage");
        assertThat(mountPath("data")).isEqualTo("/data");
        assertThat(hub.getArgs()).contains("--millwright.data-dir=/data");

        Set<String> configMaps = documents.stream().filter(ConfigMap.class::isInstance)
                .map(document -> document.getMetadata().getName()).collect(Collectors.toSet());
        List<Volume> volumes = spec.getTemplate().getSpec().getVolumes();
        for (Volume volume : volumes) {
            if (volume.getConfigMap() != null) {
                assertThat(configMaps).as("ConfigMap of volume %s", volume.getName()).contains(volume.getConfigMap().getName());
            }
        }
        // the image's working directory is /app (pom.xml, Jib): the hub reads routes/ and mappings/ there
        assertThat(mountPath("routes")).isEqualTo("/app/routes");
        assertThat(mountPath("mappings")).isEqualTo("/app/mappings");
        List<String> volumeNames = new ArrayList<>(volumes.stream().map(Volume::getName).toList());
        claims.forEach(claim -> volumeNames.add(claim.getMetadata().getName()));
        for (VolumeMount mount : hub.getVolumeMounts()) {
            assertThat(volumeNames).as("volume of mount %s", mount.getMountPath()).contains(mount.getName());
        }
    }

    @Test
    void serviceSelectsTheHubPodsAndTargetsPortsTheyHave() {
        Service service = only(Service.class);
        Map<String, String> podLabels = statefulSet.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(statefulSet.getSpec().getSelector().getMatchLabels()).isEqualTo(service.getSpec().getSelector());
        assertThat(statefulSet.getSpec().getServiceName()).isEqualTo(service.getMetadata().getName());
        for (ServicePort port : service.getSpec().getPorts()) {
            assertThat(port(port.getTargetPort().getStrVal()).getContainerPort()).as("target of service port %s", port.getName())
                    .isEqualTo(port.getPort());
        }
    }

    /** Every route file the ConfigMap carries is a shipped example, so the two never drift apart. */
    @Test
    void routesConfigMapCarriesTheShippedRouteFiles() throws IOException {
        ConfigMap routes = documents.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(map -> map.getMetadata().getName().equals("millwright-routes")).findFirst().orElseThrow();
        assertThat(routes.getData()).isNotEmpty();
        for (Map.Entry<String, String> file : routes.getData().entrySet()) {
            assertThat(file.getKey()).endsWith(".camel.yaml");
            assertThat(file.getValue()).as("%s as shipped in routes/", file.getKey())
                    .isEqualTo(Files.readString(Path.of("routes", file.getKey())));
        }
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).as("probe on %s", path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }

    private static ContainerPort port(String name) {
        return hub.getPorts().stream().filter(port -> name.equals(port.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + name));
    }

    private static String mountPath(String volume) {
        return hub.getVolumeMounts().stream().filter(mount -> volume.equals(mount.getName())).map(VolumeMount::getMountPath)
                .findFirst().orElseThrow(() -> new AssertionError("no mount of volume " + volume));
    }

    private static <T extends HasMetadata> T only(Class<T> kind) {
        List<T> found = documents.stream().filter(kind::isInstance).map(kind::cast).toList();
        assertThat(found).as(kind.getSimpleName() + " documents").hasSize(1);
        return found.get(0);
    }

    /** Paths of fields the model kept as additional properties: the API has no such field there. */
    private static List<String> unknownFields(Object node, String path, Map<Object, Boolean> seen) {
        List<String> unknown = new ArrayList<>();
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return unknown;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknown.addAll(unknownFields(item, path + "[" + i++ + "]", seen));
            }
            return unknown;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> unknown.addAll(unknownFields(value, path + "." + key, seen)));
            return unknown;
        }
        if (!(node instanceof KubernetesResource)) {
            return unknown;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(path + "." + getter.getName(), e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                ((Map<?, ?>) value).keySet().forEach(key -> unknown.add(path + "." + key));
            } else {
                unknown.addAll(unknownFields(value, path + "." + getter.getName().substring(3), seen));
            }
        }
        return unknown;
    }
}
