import type { z } from 'zod';
import type {
  deliveryDependencySchema,
  deliveryFileSchema,
  deliverySchema,
  deliveryTargetSchema,
  signatureFileSchema,
} from './internal/delivery-schema.js';

/** delivery.json: what a delivery zip is and what it must contain (delivery.md). */
export type Delivery = z.infer<typeof deliverySchema>;
/** The platform a delivery zip was built for: os, cpu, libc (linux only), Node ABI and range. */
export type DeliveryTarget = z.infer<typeof deliveryTargetSchema>;
/** The sha256 and size of one file of the zip, as listed in delivery.json. */
export type DeliveryFile = z.infer<typeof deliveryFileSchema>;
/** One package of the expected installed dependency set. */
export type DeliveryDependency = z.infer<typeof deliveryDependencySchema>;
/** The SIGNATURE file: an ed25519 signature over the exact bytes of delivery.json. */
export type SignatureFile = z.infer<typeof signatureFileSchema>;
