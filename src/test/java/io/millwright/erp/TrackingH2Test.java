package io.millwright.erp;

import io.millwright.testsupport.TestDatabase;

/** The tracking API on h2. */
class TrackingH2Test extends TrackingContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
