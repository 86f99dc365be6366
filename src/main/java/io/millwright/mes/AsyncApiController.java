package io.millwright.mes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.millwright.ops.HubDirectoriesProperties;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/asyncapi}: the event catalog, AsyncAPI 3.0, JSON by default, YAML when asked ({@code Accept: application/yaml}). */
@RestController
class AsyncApiController {

    private final AsyncApiCatalog catalog;
    private final ObjectMapper json = new ObjectMapper();

    AsyncApiController(HubDirectoriesProperties directories, MesProperties mes, ArtemisProperties artemis) {
        String artemisHost = artemis.getBrokerUrl() == null ? "127.0.0.1:61616" : artemis.getBrokerUrl().replaceFirst("^[a-z]+://", "").replaceFirst("\\?.*$", "");
        String kafkaHost = mes.kafkaBootstrapServers().split(",")[0].trim();
        this.catalog = new AsyncApiCatalog(directories.mappings().resolve("schemas"), kafkaHost, artemisHost);
    }

    @GetMapping(path = "/api/asyncapi", produces = {MediaType.APPLICATION_JSON_VALUE, "application/yaml", "application/x-yaml", "text/yaml"})
    ResponseEntity<String> asyncApi(@RequestHeader(name = "Accept", required = false) String accept) throws Exception {
        if (accept != null && accept.contains("yaml")) {
            return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/yaml")).body(yaml(catalog.document()));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(json.writerWithDefaultPrettyPrinter().writeValueAsString(catalog.document()));
    }

    static String yaml(Object document) throws Exception {
        return new ObjectMapper(YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .disable(YAMLGenerator.Feature.SPLIT_LINES).build()).writeValueAsString(document);
    }
}
