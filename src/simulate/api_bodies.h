// Request/response bodies of the background API catalog (see api.h): one function per API
// shape, writing "requestParameters":...,"responseElements":... and the resources.
//
// Thread-safety: pure functions of their BodyCtx.
#pragma once

#include <string_view>

#include "simulate/api.h"

namespace tw::simulate::bodies {

void NullBoth(BodyCtx& c);
void DescribeInstances(BodyCtx& c);
void DescribeSecurityGroups(BodyCtx& c);
void DescribeSubnets(BodyCtx& c);
void DescribeVpcs(BodyCtx& c);
void DescribeVolumes(BodyCtx& c);
void DescribeNetworkInterfaces(BodyCtx& c);
void DescribeRouteTables(BodyCtx& c);
void DescribeKeyPairs(BodyCtx& c);
void DescribeSnapshots(BodyCtx& c);
void DescribeRegions(BodyCtx& c);
void DescribeAvailabilityZones(BodyCtx& c);
void DescribeImages(BodyCtx& c);
void DescribeInstanceStatus(BodyCtx& c);
void DescribeTags(BodyCtx& c);
void DescribeAccountAttributes(BodyCtx& c);
void CreateTags(BodyCtx& c);
void StartInstances(BodyCtx& c);
void StopInstances(BodyCtx& c);
void CreateSnapshot(BodyCtx& c);
void IamRoleParam(BodyCtx& c);
void IamGetPolicy(BodyCtx& c);
void IamGetPolicyVersion(BodyCtx& c);
void IamListPolicies(BodyCtx& c);
void S3BucketGet(BodyCtx& c, std::string_view sub);
void ListBuckets(BodyCtx& c);
void StsCallerIdentity(BodyCtx& c);
void KmsKeyParam(BodyCtx& c);
void KmsListAliases(BodyCtx& c);
void LogsDescribeGroups(BodyCtx& c);
void LogsDescribeStreams(BodyCtx& c);
void LogsPutRetention(BodyCtx& c);
void DescribeAlarms(BodyCtx& c);
void LambdaList(BodyCtx& c);
void LambdaFunction(BodyCtx& c);
void SsmDescribeInstanceInformation(BodyCtx& c);
void SsmGetParameter(BodyCtx& c);
void SecretId(BodyCtx& c);
void ListSecrets(BodyCtx& c);
void DescribeTrails(BodyCtx& c);
void GetTrailStatus(BodyCtx& c);
void LookupEvents(BodyCtx& c);
void SsoInstanceParam(BodyCtx& c);
void SsoDescribePermissionSet(BodyCtx& c);
void RdsDescribe(BodyCtx& c);
void EcrAuthToken(BodyCtx& c);
void EksListClusters(BodyCtx& c);
void HealthAggregates(BodyCtx& c);
void CostAndUsage(BodyCtx& c);
void UpdateInstanceInformation(BodyCtx& c);
void ListInstanceAssociations(BodyCtx& c);
void CreateLogStream(BodyCtx& c);
void ServiceAssumeRole(BodyCtx& c);

}  // namespace tw::simulate::bodies
