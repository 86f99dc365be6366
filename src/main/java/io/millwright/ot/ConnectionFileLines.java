package io.millwright.ot;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The line of a key in a connection file ({@code browse.include[2]}, {@code groups[1].nodes[0]}), so
 * an error names file, line and reason. The deepest part of the key that exists gives the line (a
 * missing key: the line of the mapping it is missing from).
 */
final class ConnectionFileLines {

    private static final Pattern PART = Pattern.compile("([^\\[]*)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    private ConnectionFileLines() {}

    /** The 1-based line, or -1 when the file cannot be read or the key is not given. */
    static int lineOf(Path file, String key) {
        if (file == null || key == null || key.isBlank() || !Files.isRegularFile(file)) {
            return -1;
        }
        try (Reader reader = Files.newBufferedReader(file)) {
            Node node = new Yaml(new SafeConstructor(new LoaderOptions())).compose(reader);
            if (node == null) {
                return -1;
            }
            for (String part : key.split("\\.")) {
                Matcher matcher = PART.matcher(part);
                if (!matcher.matches()) {
                    break;
                }
                Node next = matcher.group(1).isEmpty() ? node : value(node, matcher.group(1));
                if (next == null) {
                    break;
                }
                node = next;
                Matcher index = INDEX.matcher(matcher.group(2));
                while (index.find() && node instanceof SequenceNode sequence) {
                    int i = Integer.parseInt(index.group(1));
                    if (i >= sequence.getValue().size()) {
                        break;
                    }
                    node = sequence.getValue().get(i);
                }
            }
            return node.getStartMark().getLine() + 1;
        } catch (Exception unreadable) {
            return -1;
        }
    }

    private static Node value(Node node, String name) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode scalar && name.equals(scalar.getValue())) {
                    return tuple.getValueNode();
                }
            }
        }
        return null;
    }
}
