package io.millwright.ops;

import io.millwright.model.InvalidEventException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolationException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.stereotype.Component;
import org.springframework.validation.BindException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MissingRequestValueException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Bad input to any REST endpoint answers {@code 400} with an RFC 9457 {@code application/problem+json}
 * body that names the parameter or field and says what is wrong with it, never a Java class name
 * or a stack trace:
 *
 * <pre>
 * {"type":"about:blank","title":"Bad Request","status":400,
 *  "detail":"parameter 'limit': 'abc' is not an integer",
 *  "instance":"/api/dead-letters","errors":[{"name":"limit","in":"query","reason":"'abc' is not an integer"}]}
 * </pre>
 *
 * <p>It runs before every {@code @ExceptionHandler}: a controller's own handler for
 * {@code IllegalArgumentException} would otherwise also catch a conversion failure by its cause
 * ({@code NumberFormatException}, the enum's {@code No enum constant ...}) and answer it as
 * something else (the dead-letter API's 404 with the enum's class name). Everything else is
 * left to the controllers and to Spring's problem details ({@code spring.mvc.problemdetails.enabled}).
 */
@Component
class ApiProblemResolver implements HandlerExceptionResolver, Ordered {

    static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    private final ObjectMapper json;

    ApiProblemResolver(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10; // after Boot's DefaultErrorAttributes, before all handlers
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception exception) {
        List<Problem> problems = problems(exception);
        if (exception instanceof InvalidEventException && problems != null && handler instanceof HandlerMethod method) {
            problems = problems.stream().map(problem -> new Problem(problem.name(), where(method, problem.name()), problem.reason())).toList();
        }
        if (problems == null) {
            return null;
        }
        // RFC 9457 members, then the extension member "errors"
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("type", "about:blank");
        detail.put("title", HttpStatus.BAD_REQUEST.getReasonPhrase());
        detail.put("status", HttpStatus.BAD_REQUEST.value());
        detail.put("detail", problems.stream().map(Problem::sentence).collect(Collectors.joining("; ")));
        detail.put("instance", request.getRequestURI());
        detail.put("field", problems.get(0).name()); // the first, as the controllers' own 400s name it
        detail.put("errors", problems.stream().map(Problem::asMap).toList());
        try {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            response.setContentType(PROBLEM_JSON.toString());
            response.setCharacterEncoding("UTF-8");
            json.writeValue(response.getOutputStream(), detail);
        } catch (IOException e) {
            return null;
        }
        return new ModelAndView();
    }

    /**
     * Where a field the hub's own validation named was given: {@code query} or {@code path} when the
     * handler has a request parameter or path variable of that name (the time-series, KPI and alert
     * APIs check their parameters themselves), else {@code body}.
     */
    private static String where(HandlerMethod method, String name) {
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestParam query = parameter.getParameterAnnotation(RequestParam.class);
            if (query != null && name.equals(named(query.name(), query.value(), parameter))) {
                return "query";
            }
            PathVariable path = parameter.getParameterAnnotation(PathVariable.class);
            if (path != null && name.equals(named(path.name(), path.value(), parameter))) {
                return "path";
            }
        }
        return "body";
    }

    private static String named(String name, String value, MethodParameter parameter) {
        if (!name.isEmpty()) {
            return name;
        }
        return value.isEmpty() ? parameter.getParameterName() : value;
    }

    /** What is wrong, per parameter or field; null = not bad input, someone else's exception. */
    static List<Problem> problems(Exception exception) {
        if (exception instanceof InvalidEventException invalid) {
            // the hub's own validation of a body (subscriptions, dispatch, ...): it names its field, which the
            // problem names once (its message "field=value: reason" would name it again)
            if (invalid.field() == null) {
                return List.of(new Problem("body", "body", invalid.getMessage()));
            }
            return List.of(new Problem(invalid.field(), "body", invalid.value() == null
                    ? invalid.reason() : "'" + abbreviate(String.valueOf(invalid.value())) + "' " + invalid.reason()));
        }
        if (exception instanceof MethodArgumentTypeMismatchException mismatch) {
            String in = mismatch.getParameter().hasParameterAnnotation(
                    org.springframework.web.bind.annotation.PathVariable.class) ? "path" : "query";
            return List.of(new Problem(mismatch.getName(), in, notA(mismatch.getValue(), mismatch.getRequiredType())));
        }
        if (exception instanceof TypeMismatchException mismatch) {
            return List.of(new Problem(String.valueOf(mismatch.getPropertyName()), "query",
                    notA(mismatch.getValue(), mismatch.getRequiredType())));
        }
        if (exception instanceof MissingServletRequestParameterException missing) {
            return List.of(new Problem(missing.getParameterName(), "query", "is required"));
        }
        if (exception instanceof MissingRequestHeaderException missing) {
            return List.of(new Problem(missing.getHeaderName(), "header", "is required"));
        }
        if (exception instanceof BindException bind) { // includes MethodArgumentNotValidException
            List<Problem> problems = new ArrayList<>();
            bind.getFieldErrors().forEach(error -> problems.add(fieldProblem(error)));
            bind.getGlobalErrors().forEach(error -> problems.add(
                    new Problem(error.getObjectName(), "body", String.valueOf(error.getDefaultMessage()))));
            return problems;
        }
        if (exception instanceof HandlerMethodValidationException validation) {
            List<Problem> problems = new ArrayList<>();
            validation.getParameterValidationResults().forEach(result -> {
                String name = result.getMethodParameter().getParameterName();
                for (MessageSourceResolvable error : result.getResolvableErrors()) {
                    problems.add(new Problem(name == null ? "argument" : name, "query",
                            String.valueOf(error.getDefaultMessage())));
                }
            });
            return problems;
        }
        if (exception instanceof ConstraintViolationException violations) {
            return violations.getConstraintViolations().stream()
                    .map(v -> new Problem(lastNode(v.getPropertyPath().toString()), "query", v.getMessage()))
                    .toList();
        }
        if (exception instanceof HttpMessageNotReadableException unreadable) {
            return List.of(bodyProblem(unreadable));
        }
        if (exception instanceof MissingRequestValueException || exception instanceof ServletRequestBindingException) {
            return List.of(new Problem("request", "query", "a required value is missing"));
        }
        return null;
    }

    private static Problem fieldProblem(FieldError error) {
        String reason = error.isBindingFailure()
                ? notA(error.getRejectedValue(), null)
                : String.valueOf(error.getDefaultMessage());
        return new Problem(error.getField(), "body", reason);
    }

    private static Problem bodyProblem(HttpMessageNotReadableException unreadable) {
        Throwable cause = unreadable.getMostSpecificCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return new Problem(path(unknown), "body", "is not a known field");
        }
        if (cause instanceof InvalidFormatException format) {
            return new Problem(path(format), "body", notA(format.getValue(), format.getTargetType()));
        }
        if (cause instanceof InvalidTypeIdException typeId) {
            // a polymorphic field, e.g. a subscription's delivery: name its type property
            JsonTypeInfo info = typeId.getBaseType() == null ? null
                    : typeId.getBaseType().getRawClass().getAnnotation(JsonTypeInfo.class);
            String property = info == null || info.property().isEmpty() ? "type" : info.property();
            String at = path(typeId);
            return new Problem(at.equals("body") ? property : at + "." + property, "body",
                    "'" + abbreviate(String.valueOf(typeId.getTypeId())) + "' is not a known type");
        }
        if (cause instanceof MismatchedInputException mismatched && !mismatched.getPath().isEmpty()) {
            Class<?> target = mismatched.getTargetType();
            return new Problem(path(mismatched), "body",
                    target == null ? "has the wrong type" : "must be " + describe(target));
        }
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return new Problem(path(mapping), "body", "has an invalid value");
        }
        if (cause instanceof JsonProcessingException parse && parse.getLocation() != null) {
            return new Problem("body", "body", "is not valid JSON (line " + parse.getLocation().getLineNr()
                    + ", column " + parse.getLocation().getColumnNr() + ")");
        }
        String message = String.valueOf(unreadable.getMessage());
        if (message.startsWith("Required request body is missing")) {
            return new Problem("body", "body", "is required");
        }
        return new Problem("body", "body", "cannot be read as the expected JSON");
    }

    private static String path(JsonMappingException exception) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : exception.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static String notA(Object value, Class<?> type) {
        String shown = value == null ? "null" : "'" + abbreviate(String.valueOf(value)) + "'";
        return type == null ? shown + " has the wrong type" : shown + " is not " + describe(type);
    }

    /** A type as a person reads it: never a class name. */
    static String describe(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class || type == java.math.BigInteger.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class
                || type == java.math.BigDecimal.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 date-time (2026-01-31T08:00:00Z)";
        }
        if (java.time.Duration.class == type) {
            return "an ISO-8601 duration (PT15M)";
        }
        if (java.util.UUID.class == type) {
            return "a UUID";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a JSON object";
    }

    private static String abbreviate(String value) {
        return value.length() > 60 ? value.substring(0, 60) + "…" : value;
    }

    private static String lastNode(String propertyPath) {
        int dot = propertyPath.lastIndexOf('.');
        return dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
    }

    /** One bad parameter or field: its name, where it was ({@code query}, {@code path}, {@code header}, {@code body}), why. */
    record Problem(String name, String in, String reason) {

        String sentence() {
            if (name.equals("body")) {
                return "body " + reason;
            }
            String kind = switch (in) {
                case "body" -> "field";
                case "header" -> "header";
                default -> "parameter";
            };
            return kind + " '" + name + "': " + reason;
        }

        Map<String, String> asMap() {
            Map<String, String> map = new LinkedHashMap<>();
            map.put("name", name);
            map.put("in", in);
            map.put("reason", reason);
            return map;
        }
    }
}
