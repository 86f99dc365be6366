package io.millwright.store;

import io.millwright.testsupport.TestDatabase;

/** The store contract on the default embedded database. */
class HubStoreH2Test extends HubStoreContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
