package io.millwright.erp;

import io.millwright.testsupport.TestDatabase;

/** Relay holes 3 to 6 and 8 on postgres. */
class RelayHolesPostgresIT extends RelayHolesContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
