package io.millwright.analytics;

import io.millwright.testsupport.TestDatabase;
import java.sql.Statement;
import java.util.Arrays;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * The rollup contract through a driver that answers batches without update counts
 * ({@link Statement#SUCCESS_NO_INFO}, as JDBC allows): every bucket is still merged exactly once.
 * With the counts read as "no row updated" the merge inserted a second row (duplicate key) or lost the bucket.
 */
class RollupStoreWithoutBatchCountsTest extends RollupContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.h2();
    }

    @Override
    NamedParameterJdbcTemplate jdbc(TestDatabase db) {
        return new NamedParameterJdbcTemplate(db.dataSource()) {
            @Override
            public int[] batchUpdate(String sql, SqlParameterSource[] batchArgs) {
                int[] counts = super.batchUpdate(sql, batchArgs);
                Arrays.fill(counts, Statement.SUCCESS_NO_INFO);
                return counts;
            }
        };
    }
}
