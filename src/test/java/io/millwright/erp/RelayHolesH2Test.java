package io.millwright.erp;

import io.millwright.testsupport.TestDatabase;

/** Relay holes 3 to 6 and 8 on h2. */
class RelayHolesH2Test extends RelayHolesContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
