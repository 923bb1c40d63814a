"""The playground's picture: the network diagram with every neuron's map inside its node.

``payload.build_payload`` computes the numbers (NumPy only, tested as data);
``component.network_view`` draws them in the browser (``st.components.v2``,
the HTML, CSS and JS in ``assets/``) and returns the click it reports.
"""
