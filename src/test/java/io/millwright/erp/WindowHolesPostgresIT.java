package io.millwright.erp;

import io.millwright.testsupport.TestDatabase;

/** Window holes 7 and 9 on postgres. */
class WindowHolesPostgresIT extends WindowHolesContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
