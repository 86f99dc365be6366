/**
 * Internals of the OPC UA subscription component: the Milo value to plain Java conversion. Not
 * used outside {@code io.millwright.ot.opcua}.
 */
package io.millwright.ot.opcua.internal;
