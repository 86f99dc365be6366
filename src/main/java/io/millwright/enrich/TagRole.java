package io.millwright.enrich;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a tag's value means to the hub; spelled in kebab-case in {@code mappings/assets.yaml}. */
public enum TagRole {
    STATE,
    GOOD_COUNT,
    SCRAP_COUNT,
    ORDER,
    OPERATION,
    MEASUREMENT,
    /** The reason code of the machine's latest scrap (a text or number tag); scrap counts become quality events with it. */
    SCRAP_REASON;

    /** The spelling in the asset registry, e.g. {@code good-count}. */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static TagRole parse(String text) {
        return Arrays.stream(values())
                .filter(role -> role.fileName().equals(text))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("role '" + text + "' is not one of "
                        + Arrays.stream(values()).map(TagRole::fileName).collect(Collectors.joining(", "))));
    }
}
