package io.millwright.enrich;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a mapping file ({@code assets.yaml}, {@code asset-rules.yaml}) as SnakeYAML nodes, which
 * keep their line, so that every problem is reported as {@code file:line: reason}. Scalars are
 * taken as written: an unquoted {@code 0010} stays {@code "0010"} (YAML 1.1 would read it as octal 8).
 */
final class MappingFileNodes {

    private final Path file;

    MappingFileNodes(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The document's root; an empty file gives null. */
    Node read() {
        if (!Files.isRegularFile(file)) {
            throw new MappingFileException(file, 0, "does not exist");
        }
        // SnakeYAML refuses documents over 3 MiB by default; a registry of 100,000 tags is about 10 MB
        LoaderOptions limits = new LoaderOptions();
        limits.setCodePointLimit(256 * 1024 * 1024);
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml(new SafeConstructor(limits)).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new MappingFileException(file, line, "is not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new MappingFileException(file, 0, "is not valid YAML: " + e.getMessage());
        } catch (IOException e) {
            throw new MappingFileException(file, 0, "cannot be read: " + e.getMessage());
        }
    }

    MappingFileException problem(Node node, String reason) {
        return new MappingFileException(file, line(node), reason);
    }

    static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    /** The keys and values of a mapping node, after checking that every key is one of {@code known}. */
    Map<String, Node> mapping(Node node, String what, Set<String> known) {
        if (!(node instanceof MappingNode mapping)) {
            throw problem(node, what + " must be a mapping (key: value)");
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : null;
            if (key == null || !known.contains(key)) {
                throw problem(tuple.getKeyNode(), what + ": '" + key + "' is not a known key; known keys: " + new TreeSet<>(known));
            }
            if (entries.put(key, tuple.getValueNode()) != null) {
                throw problem(tuple.getKeyNode(), what + ": '" + key + "' is given twice");
            }
        }
        return entries;
    }

    /** A mapping of free keys to scalar values (e.g. a state value map), in file order. */
    Map<String, String> scalarMap(Node node, String what) {
        if (!(node instanceof MappingNode mapping)) {
            throw problem(node, what + " must be a mapping, e.g. { \"1\": running, \"2\": idle }");
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalar(tuple.getKeyNode(), what + " key");
            String value = scalar(tuple.getValueNode(), what + " '" + key + "'");
            if (key == null || key.isBlank() || value == null || value.isBlank()) {
                throw problem(tuple.getKeyNode(), what + ": every entry needs a code and a value, e.g. \"1\": running");
            }
            if (entries.put(key.trim(), value.trim()) != null) {
                throw problem(tuple.getKeyNode(), what + ": code '" + key + "' is given twice");
            }
        }
        return entries;
    }

    List<Node> sequence(Node node, String what) {
        if (node == null || isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            throw problem(node, what + " must be a list (- ...)");
        }
        return sequence.getValue();
    }

    /** A scalar's text as written, or null when absent or null. */
    String scalar(Node node, String what) {
        if (node == null || isNull(node)) {
            return null;
        }
        if (!(node instanceof ScalarNode scalar)) {
            throw problem(node, what + " must be a single value, not a list or mapping");
        }
        return scalar.getValue();
    }

    String text(Map<String, Node> entries, String key, String what) {
        String value = scalar(entries.get(key), what + "." + key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    Double number(Map<String, Node> entries, String key, String what) {
        String value = text(entries, key, what);
        if (value == null) {
            return null;
        }
        try {
            return Double.valueOf(value);
        } catch (NumberFormatException e) {
            throw problem(entries.get(key), what + "." + key + " must be a number, was '" + value + "'");
        }
    }

    private static boolean isNull(Node node) {
        return Tag.NULL.equals(node.getTag());
    }

    /** A mapping file is invalid: names the file, the line (0 = the whole file) and the reason. */
    static final class MappingFileException extends IllegalStateException {

        private final transient Path file;
        private final int line;
        private final String reason;

        MappingFileException(Path file, int line, String reason) {
            super(file + (line > 0 ? ":" + line : "") + ": " + reason);
            this.file = file;
            this.line = line;
            this.reason = reason;
        }

        Path file() {
            return file;
        }

        int line() {
            return line;
        }

        String reason() {
            return reason;
        }
    }
}
