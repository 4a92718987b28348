package s3request_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/s3authz/s3authz/audit"
	"github.com/s3authz/s3authz/s3request"
)

// TestMiddlewareAudit checks that the middleware logs every decision it
// takes through audit: a denied GET at once, an allowed GET after it is
// served with the bytes the handler wrote, each check of a CopyObject, and
// that the log verifies and feeds the monitor.
func TestMiddlewareAudit(t *testing.T) {
	var alarms []audit.Alarm
	mon, err := audit.NewMonitor(audit.MonitorOptions{
		Volume:  audit.Threshold{Count: 10, Window: time.Minute},
		OnAlarm: func(a audit.Alarm) { alarms = append(alarms, a) },
	})
	require.NoError(t, err)
	var log bytes.Buffer
	logger, err := audit.New(&log, audit.Options{Redaction: audit.Pseudonymize, Key: []byte("middleware-test-key-0123456789"), Monitor: mon})
	require.NoError(t, err)
	mw := &s3request.Middleware{Mapper: newMapper(t), Store: newStore(t), Identify: identify, Audit: logger}
	h := mw.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("0123456789abcdef")) // 16 bytes of object
	}))
	do := func(method, target string, header map[string]string) int {
		r := httptest.NewRequest(method, target, nil)
		r.Host = "s3.example.com"
		for k, v := range header {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	assert.Equal(t, http.StatusForbidden, do("GET", "/private/secret.txt", nil))
	assert.Equal(t, http.StatusOK, do("GET", "/photos/public/cat.jpg", nil))
	assert.Equal(t, http.StatusOK, do("PUT", "/photos/keep/copy", map[string]string{
		"X-Test-Principal": bobARN, "X-Amz-Copy-Source": "/photos/public/cat.jpg"}))
	require.NoError(t, logger.Close())

	rep, err := audit.Verify(bytes.NewReader(log.Bytes()), nil)
	require.NoError(t, err)
	assert.True(t, rep.Intact, "%+v", rep)
	assert.Equal(t, 4, rep.Records, "one record per check: the denial, the GET, the copy's source and destination")

	var recs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m))
		if m["kind"] == "decision" {
			recs = append(recs, m)
		}
	}
	require.Len(t, recs, 4)
	assert.Equal(t, "implicit-deny", recs[0]["decision"])
	assert.Equal(t, "GetObject", recs[0]["operation"])
	assert.Equal(t, "allow", recs[1]["decision"])
	assert.EqualValues(t, 16, recs[1]["bytes"], "the allowed GET carries the bytes served")
	assert.Equal(t, "CopyObject", recs[2]["operation"])
	assert.Equal(t, "s3:GetObject", recs[2]["action"])
	assert.Equal(t, "s3:PutObject", recs[3]["action"])
	assert.NotContains(t, log.String(), "bob", "the principal's name is pseudonymized")
	assert.NotContains(t, log.String(), "secret.txt", "keys are pseudonymized")

	require.Len(t, alarms, 2, "16 bytes cross the 10-byte volume threshold of the anonymous caller and of bob")
	assert.Equal(t, audit.AlarmVolume, alarms[0].Kind)
}
