/**
 * Test support shared by every capability's tests: free loopback ports now, more fixtures later.
 * Test code only; nothing in src/main may depend on it.
 */
package io.millwright.testsupport;
