package io.millwright.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.millwright.model.InvalidEventException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The subscription field filter's small grammar: what matches, what the broker gets, what is refused and why. */
class FieldFilterTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static FieldFilter filter(String json) throws Exception {
        return FieldFilter.parse(JSON.readValue(json, new TypeReference<Map<String, Object>>() {}));
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "{\"data.state\": \"RUNNING\"}                      | {\"state\": \"RUNNING\"}              | true",
            "{\"data.state\": \"RUNNING\"}                      | {\"state\": \"IDLE\"}                 | false",
            "{\"data.state\": \"RUNNING\"}                      | {\"previous\": \"RUNNING\"}           | false",
            "{\"data.quantity\": {\"gt\": 10}}                  | {\"quantity\": 11}                    | true",
            "{\"data.quantity\": {\"gt\": 10}}                  | {\"quantity\": 10}                    | false",
            "{\"data.quantity\": {\"gte\": 10, \"lt\": 20}}     | {\"quantity\": 10.0}                  | true",
            "{\"data.quantity\": {\"gte\": 10, \"lt\": 20}}     | {\"quantity\": 20}                    | false",
            "{\"data.quantity\": {\"gt\": 10}}                  | {\"quantity\": \"11\"}                | false",
            "{\"data.state\": {\"in\": [\"DOWN\", \"IDLE\"]}}   | {\"state\": \"IDLE\"}                 | true",
            "{\"data.state\": {\"ne\": \"DOWN\"}}               | {\"state\": \"IDLE\"}                 | true",
            "{\"data.final\": true}                             | {\"final\": true}                     | true",
            "{\"data.final\": true}                             | {\"final\": \"true\"}                 | false",
            "{\"data.state\": \"RUNNING\", \"data.operation\": \"0010\"} | {\"state\": \"RUNNING\", \"operation\": \"0020\"} | false"})
    void matchesTheEventData(String filter, String data, boolean matches) throws Exception {
        assertThat(filter(filter).matches(JSON.readTree("{\"data\": " + data + "}"))).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"data.state\": \"RUNNING\"}                    | mw_data_state = 'RUNNING'",
            "{\"data.quantity\": {\"gt\": 10, \"lte\": 20}}   | mw_data_quantity > 10 AND mw_data_quantity <= 20",
            "{\"data.state\": {\"in\": [\"DOWN\", \"O'K\"]}}  | mw_data_state IN ('DOWN', 'O''K')",
            "{\"data.code\": {\"in\": [1, 2]}}                | (mw_data_code = 1 OR mw_data_code = 2)",
            "{\"data.final\": {\"ne\": false}}                | mw_data_final <> FALSE"})
    void becomesAnArtemisFilterExpression(String filter, String expression) throws Exception {
        assertThat(filter(filter).artemisFilter()).isEqualTo(expression);
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"state\": \"RUNNING\"}                   | filter",
            "{\"data.a.b\": \"x\"}                      | filter",
            "{\"data.quantity\": {\"gt\": \"ten\"}}     | filter.data.quantity",
            "{\"data.quantity\": {\"above\": 10}}       | filter.data.quantity",
            "{\"data.quantity\": {}}                    | filter.data.quantity",
            "{\"data.state\": {\"in\": []}}             | filter.data.state",
            "{\"data.state\": [\"RUNNING\"]}            | filter.data.state",
            "{\"data.state\": null}                     | filter.data.state"})
    void invalidFilter_namesTheField(String filter, String field) {
        assertThatThrownBy(() -> filter(filter)).isInstanceOfSatisfying(InvalidEventException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
