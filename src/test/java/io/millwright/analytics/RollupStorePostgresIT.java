package io.millwright.analytics;

import io.millwright.testsupport.TestDatabase;

/** The rollup contract on the machine's PostgreSQL (see {@link TestDatabase#postgres()}). */
class RollupStorePostgresIT extends RollupContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
