package io.millwright.erp;

import io.millwright.testsupport.TestDatabase;

/** Maintenance notifications (API_MAINTNOTIFICATION) on postgres: the same tests as MaintenanceNotificationTest. */
class MaintenanceNotificationPostgresIT extends MaintenanceNotificationTest {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
