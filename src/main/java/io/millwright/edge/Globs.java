package io.millwright.edge;

import java.util.regex.Pattern;

/** Globs over '/'-separated names: {@code *} within one segment, {@code **} across segments, {@code ?} one character. */
final class Globs {

    private Globs() {}

    static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i += 2;
            } else if (c == '*') {
                regex.append("[^/]*");
                i++;
            } else if (c == '?') {
                regex.append("[^/]");
                i++;
            } else {
                int next = i;
                while (next < glob.length() && "*?".indexOf(glob.charAt(next)) < 0) {
                    next++;
                }
                regex.append(Pattern.quote(glob.substring(i, next)));
                i = next;
            }
        }
        return Pattern.compile(regex.toString());
    }
}
