module github.com/s3authz/s3authz/examples/s3gateway

go 1.24

require (
	github.com/aws/aws-sdk-go-v2 v1.48.0
	github.com/aws/smithy-go v1.28.9
)

replace github.com/s3authz/s3authz => ../..
