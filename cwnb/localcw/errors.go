package localcw

import (
	"errors"
	"fmt"
	"net/http"
)

// apiError is an error as CloudWatch reports it: a model shape, the classic (query) error code,
// an HTTP status and a message. Operation handlers return it; the server turns it into the
// error response the SDK expects (one place: writeError).
type apiError struct {
	Shape   string // model shape name, the __type of the body: "InvalidParameterValueException"
	Code    string // classic error code for X-Amzn-Query-Error: "InvalidParameterValue"
	Status  int    // HTTP status
	Message string
}

// Error returns "Code: message".
func (e *apiError) Error() string { return e.Code + ": " + e.Message }

// messageKey is the member name of the message in the shape's model: "message" for the query-era
// exceptions, "Message" for InternalServiceFault and LimitExceededException
// (aws-sdk-go-v2/service/cloudwatch/schemas/schemas.go). Shapes outside the model
// (ThrottlingException, ...) become smithy.GenericAPIError, whose message smithy-go reads from
// "message" (transport/http/protocol/internal/cbor GetProtocolErrorInfo).
func (e *apiError) messageKey() string {
	switch e.Shape {
	case "InternalServiceFault", "LimitExceededException":
		return "Message"
	}
	return "message"
}

// fault returns the X-Amzn-Query-Error fault half: Sender for 4xx, Receiver for 5xx.
func (e *apiError) fault() string {
	if e.Status >= 500 {
		return "Receiver"
	}
	return "Sender"
}

func invalidValue(format string, args ...any) *apiError {
	return &apiError{"InvalidParameterValueException", "InvalidParameterValue", http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// validationError is how GetMetricData reports a request it cannot serve as written: the
// operation models no InvalidParameterValue error (its only modeled error is InvalidNextToken),
// and the real service answers ValidationError, with messages such as "The value M1 for
// parameter MetricDataQueries.member.1.Id is not matching the expected pattern
// ^[a-z][a-zA-Z0-9_]*$." (observed in public reports: telegraf#5420, yace#385) or "The parameter
// StartTime must not equal parameter EndTime." (beats#32687). The shape is not in the
// CloudWatch model, so the SDK returns a smithy.GenericAPIError whose ErrorCode() is
// "ValidationError".
func validationError(format string, args ...any) *apiError {
	return &apiError{"ValidationError", "ValidationError", http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// asValidation turns the request-validation errors of GetMetricData's shared checks (units,
// dimensions, periods, statistics, required members) into the ValidationError the service
// answers for that operation, keeping their message. Other errors pass unchanged.
func asValidation(err error) error {
	var ae *apiError
	if !errors.As(err, &ae) {
		return err
	}
	switch ae.Code {
	case "InvalidParameterValue", "InvalidParameterCombination", "MissingParameter":
		return validationError("%s", ae.Message)
	}
	return err
}

func invalidCombination(format string, args ...any) *apiError {
	return &apiError{"InvalidParameterCombinationException", "InvalidParameterCombination", http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func missingParameter(name string) *apiError {
	return &apiError{"MissingRequiredParameterException", "MissingParameter", http.StatusBadRequest,
		fmt.Sprintf("The parameter %s is required.", name)}
}

func invalidNextToken(format string, args ...any) *apiError {
	return &apiError{"InvalidNextToken", "InvalidNextToken", http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func internalFault(format string, args ...any) *apiError {
	return &apiError{"InternalServiceFault", "InternalServiceError", http.StatusInternalServerError, fmt.Sprintf(format, args...)}
}

func throttling() *apiError {
	return &apiError{"ThrottlingException", "Throttling", http.StatusBadRequest, "Rate exceeded"}
}

func serviceUnavailable() *apiError {
	return &apiError{"ServiceUnavailable", "ServiceUnavailable", http.StatusServiceUnavailable, "Service is unavailable (injected fault)"}
}

func tooLarge() *apiError {
	return &apiError{"RequestEntityTooLarge", "RequestEntityTooLarge", http.StatusRequestEntityTooLarge,
		"Request size exceeded the limit of 2 MiB (the service's PutMetricData limit is 1 MB); send fewer datums per call."}
}

func malformed(err error) *apiError {
	return &apiError{"SerializationException", "MalformedInput", http.StatusBadRequest, err.Error()}
}

func unknownOperation(op string) *apiError {
	return &apiError{"UnknownOperationException", "UnknownOperation", http.StatusBadRequest,
		fmt.Sprintf("operation %q is not supported by the local CloudWatch; it serves PutMetricData, ListMetrics, GetMetricData, GetMetricStatistics and the alarm operations (PutMetricAlarm, PutCompositeAlarm, DescribeAlarms, DeleteAlarms, SetAlarmState, DescribeAlarmHistory)", op)}
}

// asAPIError maps any handler error to an apiError: unknown errors are internal faults.
func asAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	return internalFault("%v", err)
}
