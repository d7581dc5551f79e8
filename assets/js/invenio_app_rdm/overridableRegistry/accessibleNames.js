// Names for inputs that InvenioRDM's React components leave without one (axe:
// label), given to the elements these components render (an override gets the
// props of the element it replaces, `children` included).
import React from "react";
import { Checkbox } from "semantic-ui-react";

// NODES with NEW_PROPS(node) given to each element that TEST(node) picks, at any
// depth. A single child stays single (Overridable takes only one).
export const withProps = (nodes, test, newProps) => {
  const update = (node) => {
    if (!React.isValidElement(node)) {
      return node;
    }
    const props = test(node) ? newProps(node) : {};
    if (node.props.children === undefined) {
      return React.cloneElement(node, props);
    }
    return React.cloneElement(node, props, withProps(node.props.children, test, newProps));
  };
  return Array.isArray(nodes) ? React.Children.map(nodes, update) : update(nodes);
};

// A Semantic UI checkbox with a text label but no id: its <label> is not tied to
// its input, so the input has no name.
export const isUnnamedCheckbox = (node) =>
  node.type === Checkbox &&
  typeof node.props.label === "string" &&
  !node.props.id &&
  !node.props["aria-label"];

// ... which then gets its label as its name.
export const checkboxName = (node) => ({ "aria-label": node.props.label });
