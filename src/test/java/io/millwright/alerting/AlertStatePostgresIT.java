package io.millwright.alerting;

import io.millwright.testsupport.TestDatabase;

class AlertStatePostgresIT extends AlertStateContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
