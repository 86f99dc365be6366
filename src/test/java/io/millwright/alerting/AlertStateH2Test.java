package io.millwright.alerting;

import io.millwright.testsupport.TestDatabase;

class AlertStateH2Test extends AlertStateContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
