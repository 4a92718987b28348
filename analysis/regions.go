package analysis

// regions are the AWS Regions the Region checks know (INVALID_ARN_REGION,
// INVALID_REGION), pinned with the action catalog (spec analysis.md §3.4,
// "S3 ARN grammar"): the commercial partition, China, GovCloud, the
// isolated partitions and the European Sovereign Cloud. A Region AWS opens
// later is reported until the list is updated.
var regions = func() map[string]bool {
	m := map[string]bool{}
	for _, r := range []string{
		"us-east-1", "us-east-2", "us-west-1", "us-west-2",
		"af-south-1",
		"ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
		"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
		"ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
		"ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
		"ca-central-1", "ca-west-1",
		"eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3",
		"eu-south-1", "eu-south-2", "eu-north-1",
		"il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
		"cn-north-1", "cn-northwest-1",
		"us-gov-east-1", "us-gov-west-1",
		"us-iso-east-1", "us-iso-west-1", "us-isob-east-1", "eu-isoe-west-1",
		"us-isof-south-1", "us-isof-east-1",
		"eusc-de-east-1",
	} {
		m[r] = true
	}
	return m
}()
