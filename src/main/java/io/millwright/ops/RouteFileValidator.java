package io.millwright.ops;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.Component;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.DynamicRouterDefinition;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.EnrichDefinition;
import org.apache.camel.model.ExpressionNode;
import org.apache.camel.model.PollEnrichDefinition;
import org.apache.camel.model.RecipientListDefinition;
import org.apache.camel.model.RoutingSlipDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.model.language.ExpressionDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.EndpointUriFactory;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.spi.RoutesBuilderLoader;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.util.StringHelper;
import org.apache.camel.util.URISupport;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Decides whether a route file may replace what runs, without touching the running context.
 *
 * <p>Checks, in order: YAML syntax; top-level items (only {@code route} and the builder-scoped
 * {@code onException}, {@code onCompletion}, {@code intercept*}, {@code errorHandler}); the YAML
 * DSL model, by loading the file into a throwaway, never-started {@link DefaultCamelContext}
 * (unknown EIPs and keys, bad expressions' shape); every endpoint's component against the
 * allow-list ({@link ComponentAllowList}, {@code millwright.routes.allowed-components}); explicit and unique route ids, none owned by
 * another file or by the hub's Java routes; and each static endpoint URI against the running
 * context: placeholders resolve, the component exists, every option is known to it.
 * Runtime-only failures (an expression that does not compile, an endpoint that cannot start)
 * surface when the routes are added, where {@link RouteFileLoader} rolls back.
 */
final class RouteFileValidator {

    /** Top-level items whose effect stays inside the file's own routes. */
    private static final Set<String> SUPPORTED_TOP_LEVEL = Set.of(
            "route", "onException", "onCompletion", "intercept", "interceptFrom", "interceptSendToEndpoint",
            "errorHandler");

    /** Camel names the failing EIP as {@code at: >>> SetBody[...] <<< in route: ...}. */
    private static final Pattern FAILED_AT = Pattern.compile("at: >>> (.*?) <<<");

    private final CamelContext camelContext;
    private final ComponentAllowList allowList;

    RouteFileValidator(CamelContext camelContext) {
        this(camelContext, new ComponentAllowList(ComponentAllowList.DEFAULT));
    }

    RouteFileValidator(CamelContext camelContext, ComponentAllowList allowList) {
        this.camelContext = camelContext;
        this.allowList = allowList;
    }

    /**
     * Validates one file's content.
     *
     * @param file        the file as shown to operators, e.g. {@code routes/foo.camel.yaml}
     * @param content     the bytes read from disk; the same bytes are later loaded
     * @param foreignIds  route ids running now that this file does not own, with their owner
     * @return            the route ids the file defines, in file order
     */
    List<String> validate(String file, byte[] content, Map<String, String> foreignIds)
            throws RouteFileRejectedException {
        String text = new String(content, StandardCharsets.UTF_8);
        checkTopLevel(file, text);
        List<RouteDefinition> routes = loadModel(file, content);
        List<String> ids = checkIds(file, routes, foreignIds);
        for (RouteDefinition route : routes) {
            checkComponents(file, route);
            for (String uri : staticEndpointUris(route)) {
                checkEndpointUri(file, route.getId(), uri);
            }
        }
        return ids;
    }

    private void checkTopLevel(String file, String text) throws RouteFileRejectedException {
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(file).build()).composeString(text);
        } catch (RuntimeException e) {
            throw rejection(file, e);
        }
        if (root.isEmpty()) {
            throw new RouteFileRejectedException(file,
                    "file is empty; a flow file holds one '- route:' item (delete the file to remove its routes)");
        }
        if (!(root.get() instanceof SequenceNode sequence)) {
            throw at(file, root.get(), "the file must be a YAML list of items such as '- route:'");
        }
        for (Node item : sequence.getValue()) {
            if (!(item instanceof MappingNode mapping) || mapping.getValue().size() != 1
                    || !(mapping.getValue().get(0).getKeyNode() instanceof ScalarNode)) {
                throw at(file, item, "each list item must be a single key such as 'route:'");
            }
            NodeTuple tuple = mapping.getValue().get(0);
            String key = ((ScalarNode) tuple.getKeyNode()).getValue();
            if (!SUPPORTED_TOP_LEVEL.contains(key)) {
                throw at(file, tuple.getKeyNode(), "'" + key + "' is not supported in the routes folder; a flow file"
                        + " holds '- route:' items with camelCase keys (Kamelets and route templates go in"
                        + " adapters/, error policies are route configurations in the hub)");
            }
        }
    }

    private List<RouteDefinition> loadModel(String file, byte[] content) throws RouteFileRejectedException {
        // A throwaway context that is never started: the YAML DSL builds the route model in it, so
        // unknown EIPs and keys fail here, while nothing is created, started or bound in the hub.
        DefaultCamelContext scratch = new DefaultCamelContext(false);
        scratch.getCamelContextExtension().setName("millwright-route-validation");
        scratch.setStartupSummaryLevel(StartupSummaryLevel.Off);
        scratch.build();
        try {
            scratch.getPropertiesComponent().addPropertiesSource(new RunningContextProperties(camelContext));
            scratch.addRoutes(parse(scratch, file, content));
            return new ArrayList<>(scratch.getRouteDefinitions());
        } catch (Exception e) {
            throw rejection(file, e);
        } finally {
            scratch.stop();
        }
    }

    private static List<String> checkIds(String file, List<RouteDefinition> routes, Map<String, String> foreignIds)
            throws RouteFileRejectedException {
        if (routes.isEmpty()) {
            throw new RouteFileRejectedException(file, "no route in file; a flow file holds one '- route:' item");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (RouteDefinition route : routes) {
            String id = route.getId();
            if (id == null || !route.hasCustomIdAssigned()) {
                throw new RouteFileRejectedException(file, "route from '" + route.getEndpointUrl()
                        + "' has no id; add 'id:' named after the file (generated ids are not tracked)");
            }
            if (!ids.add(id)) {
                throw new RouteFileRejectedException(file, "route id '" + id + "' appears twice in the file");
            }
            String owner = foreignIds.get(id);
            if (owner != null) {
                throw new RouteFileRejectedException(file, "route id '" + id + "' is already used by " + owner
                        + "; route ids must be unique, rename one of them");
            }
        }
        return List.copyOf(ids);
    }

    /**
     * Every endpoint of the route against the component allow-list: the input as a consumer,
     * static and dynamic ({@code toD}, {@code wireTap}) sends as producers; the EIPs that compute
     * an endpoint from the message ({@code recipientList}, {@code routingSlip},
     * {@code dynamicRouter}, {@code enrich}, {@code pollEnrich}) only with a constant URI.
     */
    private void checkComponents(String file, RouteDefinition route) throws RouteFileRejectedException {
        if (route.getInput() != null && route.getInput().getEndpointUri() != null) {
            checkComponent(file, route.getId(), route.getInput().getEndpointUri(), true);
        }
        for (EndpointRequiredDefinition eip :
                ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), EndpointRequiredDefinition.class)) {
            if (eip.getEndpointUri() != null) {
                checkComponent(file, route.getId(), eip.getEndpointUri(), false);
            }
        }
        for (ToDynamicDefinition eip :
                ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), ToDynamicDefinition.class)) {
            checkComponent(file, route.getId(), eip.getUri(), false);
        }
        for (ExpressionNode eip :
                ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), ExpressionNode.class)) {
            if (eip instanceof RecipientListDefinition<?> || eip instanceof RoutingSlipDefinition<?>
                    || eip instanceof DynamicRouterDefinition<?> || eip instanceof EnrichDefinition
                    || eip instanceof PollEnrichDefinition) {
                ExpressionDefinition expression = eip.getExpression();
                if (expression == null || !"constant".equals(expression.getLanguage())) {
                    throw new RouteFileRejectedException(file, "route '" + route.getId() + "': '" + eip.getShortName()
                            + "' computes its endpoint from the message, which the component allow-list cannot check;"
                            + " use a constant URI or 'to:'/'toD:' with a fixed component");
                }
                for (String uri : expression.getExpression().split(",")) {
                    checkComponent(file, route.getId(), uri.trim(), false);
                }
            }
        }
    }

    private void checkComponent(String file, String routeId, String rawUri, boolean consumer)
            throws RouteFileRejectedException {
        String where = "route '" + routeId + "' endpoint '" + rawUri + "': ";
        String uri;
        try {
            uri = camelContext.resolvePropertyPlaceholders(rawUri);
        } catch (RuntimeException e) {
            throw new RouteFileRejectedException(file, 0, 0, where + rootMessage(e), e);
        }
        String scheme = StringHelper.before(uri, ":");
        if (scheme == null) {
            throw new RouteFileRejectedException(file, where + "no scheme; write it as 'component:path'");
        }
        if (scheme.contains("$") || scheme.contains("{")) {
            throw new RouteFileRejectedException(file, where + "the component is computed from the message;"
                    + " the component allow-list needs a fixed component name");
        }
        String refusal = allowList.refusal(scheme, consumer);
        if (refusal != null) {
            throw new RouteFileRejectedException(file, where + refusal);
        }
    }

    private static Set<String> staticEndpointUris(RouteDefinition route) {
        Set<String> uris = new LinkedHashSet<>();
        if (route.getInput() != null && route.getInput().getEndpointUri() != null) {
            uris.add(route.getInput().getEndpointUri());
        }
        for (EndpointRequiredDefinition eip :
                ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), EndpointRequiredDefinition.class)) {
            if (eip.getEndpointUri() != null) {
                uris.add(eip.getEndpointUri());
            }
        }
        return uris;
    }

    private void checkEndpointUri(String file, String routeId, String rawUri) throws RouteFileRejectedException {
        String where = "route '" + routeId + "' endpoint '" + rawUri + "': ";
        String uri;
        try {
            uri = camelContext.resolvePropertyPlaceholders(rawUri);
        } catch (RuntimeException e) {
            throw new RouteFileRejectedException(file, 0, 0, where + rootMessage(e), e);
        }
        String scheme = StringHelper.before(uri, ":");
        if (scheme == null) {
            throw new RouteFileRejectedException(file, where + "no scheme; write it as 'component:path'");
        }
        EndpointUriFactory factory = camelContext.getCamelContextExtension().getEndpointUriFactory(scheme);
        if (factory == null) {
            boolean known = camelContext.hasComponent(scheme) != null
                    || camelContext.getRegistry().lookupByNameAndType(scheme, Component.class) != null;
            if (!known) {
                throw new RouteFileRejectedException(file, where + "unknown component '" + scheme
                        + "' (not on the hub's classpath)");
            }
            return;
        }
        if (factory.isLenientProperties()) {
            return;
        }
        Map<String, Object> options;
        try {
            options = URISupport.parseQuery(URISupport.extractQuery(uri), false, true);
        } catch (Exception e) {
            throw new RouteFileRejectedException(file, 0, 0, where + rootMessage(e), e);
        }
        for (String option : options.keySet()) {
            if (!factory.propertyNames().contains(option) && !isMultiValueOption(factory, option)) {
                throw new RouteFileRejectedException(file, where + "unknown option '" + option + "' for component '"
                        + scheme + "'");
            }
        }
    }

    private static boolean isMultiValueOption(EndpointUriFactory factory, String option) {
        return factory.multiValuePrefixes().keySet().stream().anyMatch(option::startsWith);
    }

    /**
     * Parses route file content with the YAML DSL loader of the given context. The loader is asked
     * for directly, not by file extension, so a name such as {@code line.2.yaml} loads too.
     */
    static RoutesBuilder parse(CamelContext context, String file, byte[] content) throws Exception {
        RoutesBuilderLoader yaml = PluginHelper.getRoutesLoader(context).getRoutesLoader("yaml");
        if (yaml == null) {
            throw new IllegalStateException("the Camel YAML DSL (camel-yaml-dsl) is not on the classpath");
        }
        return yaml.loadRoutesBuilder(ResourceHelper.fromBytes("file:" + file, content));
    }

    /** Turns a loading failure into one sentence with the YAML position when the parser gave one. */
    static RouteFileRejectedException rejection(String file, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MarkedYamlEngineException marked) {
                Optional<Mark> mark = marked.getProblemMark().or(marked::getContextMark);
                String problem = marked.getProblem() != null ? marked.getProblem() : marked.getContext();
                if (marked.getContext() != null && marked.getProblem() != null) {
                    // e.g. "while scanning a quoted scalar (from line 8, column 21), found unexpected end of stream"
                    problem = marked.getContext()
                            + marked.getContextMark().map(m -> " (from line " + (m.getLine() + 1) + ", column "
                                    + (m.getColumn() + 1) + ")").orElse("")
                            + ", " + marked.getProblem();
                }
                return new RouteFileRejectedException(file, mark.map(m -> m.getLine() + 1).orElse(0),
                        mark.map(m -> m.getColumn() + 1).orElse(0), oneLine(problem), failure);
            }
        }
        return new RouteFileRejectedException(file, 0, 0, rootMessage(failure), failure);
    }

    private static RouteFileRejectedException at(String file, Node node, String reason) {
        Optional<Mark> mark = node.getStartMark();
        return new RouteFileRejectedException(file, mark.map(m -> m.getLine() + 1).orElse(0),
                mark.map(m -> m.getColumn() + 1).orElse(0), reason, null);
    }

    /**
     * Why adding routes failed, e.g. {@code route 'x' failed to start at SetBody[simple{v2:${body}]:
     * expected symbol functionEnd but was eol}.
     */
    static String startFailure(Exception failure) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FailedToCreateRouteException || t instanceof FailedToStartRouteException) {
                String routeId = t instanceof FailedToCreateRouteException c ? c.getRouteId()
                        : ((FailedToStartRouteException) t).getRouteId();
                sb.append("route '").append(routeId).append("' failed to start");
                Matcher at = FAILED_AT.matcher(String.valueOf(t.getMessage()));
                if (at.find()) {
                    sb.append(" at ").append(at.group(1).trim());
                }
                break;
            }
        }
        if (sb.isEmpty()) {
            sb.append("routes failed to start");
        }
        return sb.append(": ").append(rootMessage(failure)).toString();
    }

    /** The message of the deepest cause that has one, on one line. */
    static String rootMessage(Throwable failure) {
        String message = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return oneLine(message != null ? message : failure.getClass().getSimpleName());
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** Lets the throwaway context resolve the same placeholders as the running one. */
    private record RunningContextProperties(CamelContext running) implements PropertiesSource {

        @Override
        public String getName() {
            return "millwright-running-context";
        }

        @Override
        public String getProperty(String name) {
            return running.getPropertiesComponent().resolveProperty(name).orElse(null);
        }
    }
}
