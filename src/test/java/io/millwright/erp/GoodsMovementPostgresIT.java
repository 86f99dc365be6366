package io.millwright.erp;

import io.millwright.testsupport.TestDatabase;

/** Goods movements (API_MATERIAL_DOCUMENT_SRV) on postgres: the same tests as GoodsMovementTest. */
class GoodsMovementPostgresIT extends GoodsMovementTest {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.postgres();
    }
}
