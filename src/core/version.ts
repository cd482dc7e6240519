import pjson from '../../package.json' with {type: 'json'}

/** Nexus's own version (package.json). */
export const NEXUS_VERSION: string = pjson.version

/** The wandb SDK version whose protocol this build speaks (wire schema, service contract). */
export const WANDB_PROTOCOL_VERSION: string = pjson.nexus.wandbProtocol

/** The oldest W&B server version the targeted SDK supports (header record's min_consumer). */
export const MIN_SERVER_VERSION = '0.70.0'
