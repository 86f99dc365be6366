package io.millwright.production;

import io.millwright.testsupport.TestDatabase;

/** Holes 1, 2 and 10 on the default embedded database. */
class LedgerHolesH2Test extends LedgerHolesContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
