package io.millwright.erp;

import io.millwright.testsupport.TestDatabase;

/** Window holes 7 and 9 on h2. */
class WindowHolesH2Test extends WindowHolesContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
