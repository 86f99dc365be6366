package io.millwright.production;

import io.millwright.testsupport.TestDatabase;

/** Holes 1, 2 and 10 on the machine's PostgreSQL (see {@link TestDatabase#postgres()}). */
class LedgerHolesPostgresIT extends LedgerHolesContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
