// React components of InvenioRDM overridden by this instance (none yet).
export const overriddenComponents = {};
