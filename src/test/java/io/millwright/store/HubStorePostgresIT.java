package io.millwright.store;

import io.millwright.testsupport.TestDatabase;

/** The store contract on the machine's PostgreSQL (see {@link TestDatabase#postgres()}). */
class HubStorePostgresIT extends HubStoreContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
