package io.millwright.sim.erp;

import java.math.BigDecimal;
import java.util.Calendar;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.olingo.odata2.api.edm.EdmException;
import org.apache.olingo.odata2.api.edm.EdmLiteral;
import org.apache.olingo.odata2.api.edm.EdmLiteralKind;
import org.apache.olingo.odata2.api.edm.EdmSimpleType;
import org.apache.olingo.odata2.api.edm.EdmTyped;
import org.apache.olingo.odata2.api.uri.expression.BinaryExpression;
import org.apache.olingo.odata2.api.uri.expression.BinaryOperator;
import org.apache.olingo.odata2.api.uri.expression.CommonExpression;
import org.apache.olingo.odata2.api.uri.expression.ExceptionVisitExpression;
import org.apache.olingo.odata2.api.uri.expression.ExpressionVisitor;
import org.apache.olingo.odata2.api.uri.expression.FilterExpression;
import org.apache.olingo.odata2.api.uri.expression.LiteralExpression;
import org.apache.olingo.odata2.api.uri.expression.MemberExpression;
import org.apache.olingo.odata2.api.uri.expression.MethodExpression;
import org.apache.olingo.odata2.api.uri.expression.MethodOperator;
import org.apache.olingo.odata2.api.uri.expression.OrderByExpression;
import org.apache.olingo.odata2.api.uri.expression.OrderExpression;
import org.apache.olingo.odata2.api.uri.expression.PropertyExpression;
import org.apache.olingo.odata2.api.uri.expression.SortOrder;
import org.apache.olingo.odata2.api.uri.expression.UnaryExpression;
import org.apache.olingo.odata2.api.uri.expression.UnaryOperator;

/**
 * Evaluates a parsed {@code $filter} against one entity (comparisons eq, ne, gt, ge, lt, le,
 * combined with and, or, not) and turns a parsed {@code $orderby} into a comparator. Olingo parses
 * and type-checks the expressions; this only computes them over the simulator's entities.
 */
final class EntityFilter implements ExpressionVisitor {

    private final Map<String, Object> entity;

    private EntityFilter(Map<String, Object> entity) {
        this.entity = entity;
    }

    static boolean matches(FilterExpression filter, Map<String, Object> entity) throws SapBusinessException {
        if (filter == null) {
            return true;
        }
        try {
            return Boolean.TRUE.equals(filter.accept(new EntityFilter(entity)));
        } catch (ExceptionVisitExpression | org.apache.olingo.odata2.api.exception.ODataApplicationException
                | RuntimeException e) {
            throw new SapBusinessException("/IWBEP/CM_MGW_RT/021", "", "$filter cannot be evaluated: " + e.getMessage());
        }
    }

    static Comparator<Map<String, Object>> comparator(OrderByExpression orderBy) {
        Comparator<Map<String, Object>> result = (a, b) -> 0;
        if (orderBy == null) {
            return result;
        }
        for (OrderExpression order : orderBy.getOrders()) {
            String property = propertyName(order.getExpression());
            Comparator<Map<String, Object>> byProperty = (a, b) -> compare(a.get(property), b.get(property));
            result = result.thenComparing(order.getSortOrder() == SortOrder.desc ? byProperty.reversed() : byProperty);
        }
        return result;
    }

    private static String propertyName(CommonExpression expression) {
        if (expression instanceof PropertyExpression property) {
            return property.getPropertyName();
        }
        throw new UnsupportedOperationException("$orderby supports properties only: " + expression.getUriLiteral());
    }

    @Override
    public Object visitFilterExpression(FilterExpression filterExpression, String expressionString, Object expression) {
        return expression;
    }

    @Override
    public Object visitBinary(BinaryExpression binaryExpression, BinaryOperator operator, Object left, Object right) {
        return switch (operator) {
            case AND -> Boolean.TRUE.equals(left) && Boolean.TRUE.equals(right);
            case OR -> Boolean.TRUE.equals(left) || Boolean.TRUE.equals(right);
            case EQ -> compare(left, right) == 0;
            case NE -> compare(left, right) != 0;
            case GT -> compare(left, right) > 0;
            case GE -> compare(left, right) >= 0;
            case LT -> compare(left, right) < 0;
            case LE -> compare(left, right) <= 0;
            default -> throw new UnsupportedOperationException("$filter operator " + operator + " is not simulated");
        };
    }

    @Override
    public Object visitUnary(UnaryExpression unaryExpression, UnaryOperator operator, Object operand) {
        if (operator == UnaryOperator.NOT) {
            return !Boolean.TRUE.equals(operand);
        }
        throw new UnsupportedOperationException("$filter operator " + operator + " is not simulated");
    }

    @Override
    public Object visitLiteral(LiteralExpression literal, EdmLiteral edmLiteral) {
        try {
            EdmSimpleType type = edmLiteral.getType();
            return type.valueOfString(edmLiteral.getLiteral(), EdmLiteralKind.DEFAULT, null, type.getDefaultType());
        } catch (EdmException e) {
            throw new IllegalArgumentException("cannot read literal " + literal.getUriLiteral(), e);
        }
    }

    @Override
    public Object visitProperty(PropertyExpression propertyExpression, String uriLiteral, EdmTyped edmProperty) {
        return entity.get(uriLiteral);
    }

    @Override
    public Object visitMethod(MethodExpression methodExpression, MethodOperator method, List<Object> parameters) {
        throw new UnsupportedOperationException("$filter function " + method + " is not simulated");
    }

    @Override
    public Object visitMember(MemberExpression memberExpression, Object path, Object property) {
        throw new UnsupportedOperationException("$filter navigation is not simulated");
    }

    @Override
    public Object visitOrderByExpression(OrderByExpression orderByExpression, String expressionString, List<Object> orders) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Object visitOrder(OrderExpression orderExpression, Object filterResult, SortOrder sortOrder) {
        throw new UnsupportedOperationException();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object left, Object right) {
        if (left == null || right == null) {
            return left == right ? 0 : (left == null ? -1 : 1);
        }
        if (left instanceof Number l && right instanceof Number r) {
            return new BigDecimal(l.toString()).compareTo(new BigDecimal(r.toString()));
        }
        if (left instanceof Calendar l && right instanceof Calendar r) {
            return Long.compare(l.getTimeInMillis(), r.getTimeInMillis());
        }
        if (left instanceof Comparable l && left.getClass().equals(right.getClass())) {
            return l.compareTo(right);
        }
        return Objects.equals(left.toString(), right.toString()) ? 0 : left.toString().compareTo(right.toString());
    }
}
