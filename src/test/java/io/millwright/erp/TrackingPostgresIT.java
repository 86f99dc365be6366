package io.millwright.erp;

import io.millwright.testsupport.TestDatabase;

/** The tracking API on postgres. */
class TrackingPostgresIT extends TrackingContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
