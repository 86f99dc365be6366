package io.millwright.analytics;

import io.millwright.testsupport.TestDatabase;

/** The rollup contract on H2, the hub's default database. */
class RollupStoreH2Test extends RollupContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
