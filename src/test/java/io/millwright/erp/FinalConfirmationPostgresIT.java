package io.millwright.erp;

import io.millwright.testsupport.TestDatabase;

/** Final confirmations on postgres: the same tests as FinalConfirmationTest. */
class FinalConfirmationPostgresIT extends FinalConfirmationTest {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
