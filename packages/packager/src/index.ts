/** @packageDocumentation Build, verify, sign and safely extract ProcVision offline delivery zips. */
export { buildDeliveryZip } from './build-delivery-zip.js';
export type { BuildOptions, BuiltDelivery } from './build-delivery-zip.js';
export type { PackageProgressEvent, PackageProgressListener, PackageStage } from './package-progress.js';
export { verifyDeliveryZip } from './verify-delivery-zip.js';
export type { VerifyOptions, VerifiedDelivery, SignatureStatus } from './verify-delivery-zip.js';
export { extractDeliveryZip } from './extract-delivery-zip.js';
export type { ExtractOptions, ExtractedDelivery } from './extract-delivery-zip.js';
export { defaultZipLimits, resolveZipLimits } from './zip-limits.js';
export type { ZipLimits } from './zip-limits.js';
export { signDelivery, verifyDeliverySignature, generateSigningKey, publicKeyId } from './signing.js';
export type { KeyInput, SigningKeyPair } from './signing.js';
export { parseTarget, formatTarget, currentTarget, deliveryZipName } from './target.js';
export type { PlatformTarget, TargetOs, TargetCpu, TargetLibc } from './target.js';
export { checkTargetCompatibility, assertTargetCompatible, currentHostPlatform } from './target-compatibility.js';
export type { TargetCompatibility, TargetMismatch, HostPlatform } from './target-compatibility.js';
export { checkInstallScripts, sharpBinaryPackage } from './install-script-policy.js';
export type { AllowedInstallScript, ScriptCandidate } from './install-script-policy.js';
export type { Delivery, DeliveryTarget, DeliveryFile, DeliveryDependency, SignatureFile } from '@procvision/manifest';
