package io.millwright.model;

/** Which production counter a count belongs to. */
public enum CounterKind {
    GOOD,
    SCRAP
}
